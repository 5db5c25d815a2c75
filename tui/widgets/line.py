"""A fixed-size line of text that repaints without asking the screen for a new layout.

Static.update() refreshes layout (its size may change), which reflows the whole screen on
every key; status lines of a fixed height only need a repaint.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget


class Line(Widget):
    DEFAULT_CSS = """
    Line { height: 1; width: 1fr; }
    """

    def __init__(self, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content: RenderableType = Text("")
        self._plain: str | None = ""

    def set(self, content: RenderableType) -> None:
        plain = content.markup if isinstance(content, Text) else None
        if plain is not None and plain == self._plain:
            return
        self._content = content
        self._plain = plain
        self.refresh()

    @property
    def content(self) -> RenderableType:
        return self._content

    def render(self) -> RenderableType:
        return self._content
