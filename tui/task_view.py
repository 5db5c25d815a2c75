"""The UI half of the task-type contract: a TaskView shows one task and edits its answer.

The labeling screen owns navigation and saving; it routes each key press to a binding id
through the keymap. Ids of the task type's own context (`<type>.<id>`) and label keys
(`label.N`) go to the view's handle(); the view answers by posting Submitted, or the screen
asks submit_value() when the annotator presses app.submit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from textual.message import Message
from textual.widget import Widget

from tui.core.keymap import Keymap
from tui.core.task_type import TaskContent, TaskOptions, TaskType

ViewMode = Literal["label", "review", "correct"]


@dataclass
class ViewContext:
    task_type: TaskType
    options: TaskOptions
    task: TaskContent
    previous: dict[str, Any] | None  # the latest saved value, when editing an earlier answer
    keymap: Keymap
    batch_dir: Path
    mode: ViewMode = "label"
    annotator: str = ""  # whose answer this is (seeds per-annotator shuffles)
    # The user's external viewer commands per media kind (config.toml [viewers]).
    viewer_commands: dict[str, str] = field(default_factory=dict)
    # The kind of the latest saved answer ("accept", "skip", "flag", ...), None if none:
    # `previous` is None for a skip, and a view says when an item was skipped before.
    previous_answer: str | None = None


class Refusal(str):
    """A reason why the current value cannot be submitted, shown to the annotator."""


class TaskView(Widget, can_focus=True):
    DEFAULT_CSS = """
    TaskView { height: auto; }
    """

    class Notice(Message):
        """A short message for the status line (a refusal, a hint)."""

        def __init__(self, text: str, error: bool = False) -> None:
            super().__init__()
            self.text = text
            self.error = error

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__()
        self.ctx = ctx
        # The one channel for answers, set by the screen that shows the view (labeling or
        # audit review): called at once, so an answer is handled before the next key.
        self.submit_handler: Callable[[str, str, dict[str, Any] | None], None] | None = None

    def submit(self, answer: str, value: dict[str, Any] | None) -> None:
        """Hand an answer (kind, value) for this view's task to its screen, now."""
        if self.submit_handler is None:
            self.post_message(self.Notice("nothing here takes an answer", error=True))
            return
        self.submit_handler(self.ctx.task.id, answer, value)

    def reload(self, ctx: ViewContext) -> bool:
        """Show another task in place of the current one, without a remount (a remount
        costs a frame or two per answer). Return False when this view cannot; the screen
        then mounts a new view."""
        return False

    def submit_current(self) -> None:
        """Submit what submit_value() gives, or show why it cannot be submitted."""
        result = self.submit_value()
        if isinstance(result, Refusal):
            self.post_message(self.Notice(str(result), error=True))
        else:
            self.submit(*result)

    @property
    def editing(self) -> bool:
        """True while a text editor in the view has the keys (the screen then stays out)."""
        return False

    @property
    def editing_label(self) -> str:
        """Where typed keys go while editing, for the status and key bar ("the reason")."""
        return "the editor"

    @property
    def draft_changed(self) -> bool:
        """True while the view holds changes not yet saved that leaving the item would throw
        away (typed text, marks). The screen then asks before skip, back, forward or undo."""
        return False

    def handle(self, binding_id: str) -> bool:
        """Act on a binding id of this type or a label key; False if not handled."""
        return False

    def submit_value(self) -> tuple[str, dict[str, Any] | None] | Refusal:
        """(answer kind, value) to save when app.submit is pressed, or why not."""
        return Refusal("nothing to submit yet")

    def hint_ids(self) -> list[str]:
        """Binding ids worth showing in the key bar for this view, most useful first."""
        return [f"{self.ctx.task_type.name}.{b.id}" for b in self.ctx.task_type.bindings]

    def label_count(self) -> int | None:
        """How many label keys this item uses (the help overlay lists only those)."""
        return None

    def editing_hint_ids(self) -> list[str]:
        """Binding ids to show while editing (every other key types text): the way out."""
        name = self.ctx.task_type.name
        return [
            f"{name}.{b.id}" for b in self.ctx.task_type.bindings if b.id in ("leave", "cancel")
        ]

    def key_of(self, binding_id: str) -> str:
        return self.ctx.keymap.display(binding_id, limit=1)
