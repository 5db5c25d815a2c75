"""image view: the picture in half blocks beside its labels and description field; a key
shows it filling the screen, another opens an external viewer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from task_types.image.models import ImageAnswer, ImageOptions, ImageTask
from task_types.media_common.view import (
    FieldInput,
    MediaView,
    Picture,
    ZoomScreen,
    focus_now,
    legend,
)
from task_types.view_notes import SKIPPED_NOTE, not_a_label, was_skipped
from tui.core.i18n import _
from tui.task_view import Refusal, ViewContext

if TYPE_CHECKING:
    from PIL.Image import Image

PREVIEW_WIDTH_PX = 320  # enough for a 320-column zoom


class ImageView(MediaView[ImageTask, ImageOptions, ImageAnswer]):
    DEFAULT_CSS = """
    ImageView { height: auto; }
    ImageView .question { padding: 0 1; }
    ImageView .meta { padding: 0 1; }
    ImageView > Horizontal { height: auto; }
    ImageView Picture { width: 1fr; margin: 0 1; }
    ImageView #side { width: 34; height: auto; }
    ImageView #side > Static { height: auto; }
    ImageView FieldInput { margin: 0 0; }
    """
    kind = "image"

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        options = self.options
        self.labels = list(options.labels or [])
        previous = self.previous
        saved = previous.labels if previous is not None else []
        self.chosen: list[str] = [x for x in self.labels if x in saved]
        self.picture = Picture()
        self.image: Image | None = None
        self.choices = Static(classes="choices")
        self.leave_keys = ctx.keymap.keys_for("image.leave") or ["escape"]
        self.edit_keys = ctx.keymap.keys_for("image.edit")
        self.field: FieldInput | None = None
        if options.describe:
            self.field = FieldInput(
                (previous.description or "") if previous is not None else "",
                _("describe the picture"),
                "description",
                on_enter=self.submit_current,  # Enter saves the item, as app.submit does
            )
        self._initial = (sorted(self.chosen), self._description())

    def compose(self) -> ComposeResult:
        question = self.question()
        if question is not None:
            yield question
        yield self.meta
        with Horizontal():
            yield self.picture
            with Vertical(id="side"):
                yield self.choices
                if self.field is not None:
                    yield Static(id="field-title")
                    yield self.field
                yield Static(id="image-keys")

    def on_mount(self) -> None:
        super().on_mount()
        self._fit()
        self._refresh_side()
        if self.field is not None and not self.labels and self.ctx.mode != "review":
            focus_now(self.field)  # describe only: typing starts at once (Esc leaves)
        else:
            focus_now(self)
        self._refresh_side()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        height = self.app.size.height
        rows = max(6, height - 11 - (1 if self.task.text else 0) - self._detail_rows())
        self.picture.styles.height = rows

    def _detail_rows(self) -> int:
        """Rows the wrapped detail message takes under the metadata (the picture gives
        them up, so the side panel stays on screen)."""
        if not self.detail:
            return 0
        width = max(20, self.app.size.width - 4)
        return sum(1 + len(line) // width for line in self.detail.splitlines() or [""])

    def refresh_meta(self) -> None:
        super().refresh_meta()
        if self.is_mounted:
            self._fit()

    # -- loading (thread) ------------------------------------------------------------------
    def load(self, path: Path) -> Any:
        from tui.core.media.probe import probe
        from tui.core.media.thumbnails import image_thumbnail

        info = probe(path, expected="image")
        self.info = info
        return image_thumbnail(path, PREVIEW_WIDTH_PX)

    def loaded(self, payload: Any) -> None:
        self.image = payload
        self.picture.show([payload])

    def media_failed(self) -> None:
        self.picture.styles.height = 2
        self.picture.say(Text(_("no preview (see above); labels still work"), style="dim"))

    # -- side panel ------------------------------------------------------------------------
    def _refresh_side(self) -> None:
        out = Text()
        if was_skipped(self):
            out.append(_(SKIPPED_NOTE) + "\n", style="italic yellow")
        if self.labels:
            mode = _("one key answers")
            if self.options.multi:
                mode = _("choose several, then ⏎")
            elif self.field is not None:
                mode = _("choose one, then ⏎")
            out.append(_("Labels ({mode}):\n").format(mode=mode), style="bold")
            for n, label in enumerate(self.labels, start=1):
                out.append_text(legend(self.ctx, [label], self.chosen, first=n))
                out.append("\n")
        self.choices.update(out)
        if self.field is not None:
            title = Text(_("Description"), style="bold")
            if self.field.has_focus:
                # The side panel is 34 columns: this fits it on one line.
                title.append(
                    _(" {submit} saves · {leave} leaves").format(
                        submit=self.key_of("app.submit"), leave=self.key_of("image.leave")
                    ),
                    style="green",
                )
            else:
                title.append(
                    _("  {edit} types").format(edit=self.key_of("image.edit")), style="dim"
                )
            self.query_one("#field-title", Static).update(title)
        keys = Text()
        self.hint("image.zoom", _("zoom"), keys)
        self.hint("image.external", _("open"), keys)
        if self.labels and (self.options.multi or self.field is not None):
            self.hint("app.submit", _("submit"), keys)
        self.query_one("#image-keys", Static).update(keys)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._refresh_side()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._refresh_side()

    # -- keys ------------------------------------------------------------------------------
    @property
    def editing(self) -> bool:
        return self.field is not None and self.field.has_focus

    @property
    def editing_label(self) -> str:
        return _("the description")

    def _description(self) -> str:
        return " ".join(self.field.value.split()) if self.field is not None else ""

    @property
    def draft_changed(self) -> bool:
        if self.labels and not self.options.multi and self.field is None:
            return False  # one key answers: nothing is ever pending
        return (sorted(self.chosen), self._description()) != self._initial

    def on_key(self, event: events.Key) -> None:
        if not self.editing:
            return
        if event.key in self.leave_keys:
            event.stop()
            event.prevent_default()
            focus_now(self)
        elif event.key in self.edit_keys:
            # Already typing: the edit key (Tab) does not leave; the leave key (Esc) does.
            event.stop()
            event.prevent_default()

    def act_zoom(self) -> None:
        if self.image is None:
            self.tell(
                _("no picture to zoom: see the message above"),
                self.media_error or _("the picture is still loading"),
            )
        else:
            self.app.push_screen(ZoomScreen(self.image, str(self.task.image)))

    def act_external(self) -> None:
        self.open_external()

    def act_edit(self) -> None:
        if self.field is None:
            self.post_message(self.Notice(_("this batch asks for no description"), error=True))
        else:
            focus_now(self.field)

    def act_leave(self) -> None:
        """Not typing: nothing to leave (while typing, on_key leaves the description)."""

    def act_clear(self) -> None:
        self.chosen.clear()
        self._refresh_side()

    def act_label(self, n: int) -> None:
        if n > len(self.labels):
            text = not_a_label(self.ctx.keymap, n, len(self.labels))
            self.post_message(self.Notice(text, error=True))
            return
        label = self.labels[n - 1]
        if not self.options.multi and self.field is None:
            self.chosen = [label]
            self._refresh_side()
            self.submit("accept", ImageAnswer(labels=[label]))
            return
        if not self.options.multi:
            self.chosen = [] if self.chosen == [label] else [label]
        elif label in self.chosen:
            self.chosen.remove(label)
        else:
            self.chosen.append(label)
        self._refresh_side()

    def build_answer(self) -> tuple[str, ImageAnswer | None] | Refusal:
        labels = [x for x in self.labels if x in self.chosen]
        if self.labels and not labels:
            if self.editing:
                return Refusal(
                    _("no label yet: {leave}, then a label key").format(
                        leave=self.key_of("image.leave")
                    )
                )
            return Refusal(_("choose a label (or skip the item)"))
        if self.field is None:
            return "accept", ImageAnswer(labels=labels)
        text = " ".join(self.field.value.split())
        if len(text) < max(1, self.options.min_chars):
            if self.editing:
                return Refusal(
                    _("too short: at least {min_chars} characters").format(
                        min_chars=max(1, self.options.min_chars)
                    )
                )
            return Refusal(
                _("write a description of at least {min_chars} characters ({edit} types)").format(
                    min_chars=max(1, self.options.min_chars), edit=self.key_of("image.edit")
                )
            )
        return "accept", ImageAnswer(labels=labels, description=text)

    def hint_ids(self) -> list[str]:
        ids = ["image.zoom", "image.external"]
        if self.field is not None:
            ids.append("image.edit")
        if self.options.multi or self.field is not None:
            ids.insert(0, "app.submit")
        return ids
