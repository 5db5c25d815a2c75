"""The UI half of the task-type contract: a TaskView shows one task and edits its answer.

The labeling screen owns navigation and saving; it routes each key press to a binding id
through the keymap. Ids of the task type's own context (`<type>.<id>`) and label keys
(`label.N`) go to the view's handle(); the view answers through submit(), or the screen asks
submit_value() when the annotator presses app.submit.

A view is typed by its task type's models: `class CompareView(TaskView[CompareTask,
CompareOptions, CompareAnswer])` gets `self.task: CompareTask`, `self.options:
CompareOptions` and `self.previous: CompareAnswer | None`, checked once when it is made. Its
keys are methods: `<type>.<name>` runs `act_<name>()`, `<type>.<name>_<N>` (with no
`act_<name>_<N>`) runs `act_<name>(N)`, `label.N` runs `act_label(N)`; a method returning
False means "not handled", anything else handled. (Not `key_<name>`: Textual itself calls
`key_<key>` methods of a focused widget for the key of that name, so a `key_up` or
`key_delete` would run twice.) Its answer is built by build_answer(), as the answer model
where that is simple; submit() and submit_value() hand the screen a plain dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError
from textual.message import Message
from textual.widget import Widget
from typing_extensions import TypeVar

from tui.core.i18n import _
from tui.core.keymap import Keymap
from tui.core.task_type import AnswerValue, TaskContent, TaskOptions, TaskType

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


# A view's own models. Covariant, so a CompareView is a TaskView (the screen's type, the
# defaults) wherever a view of any type is meant.
TaskT = TypeVar("TaskT", bound=TaskContent, covariant=True, default=TaskContent)
OptionsT = TypeVar("OptionsT", bound=TaskOptions, covariant=True, default=TaskOptions)
AnswerT = TypeVar("AnswerT", bound=AnswerValue, covariant=True, default=AnswerValue)

# What a view hands to submit(): its answer model, a plain dict, or no value (a skip).
AnswerInput = AnswerValue | Mapping[str, Any] | None


def answer_dict(value: AnswerInput) -> dict[str, Any] | None:
    """The value as the screen and the session take it: a model becomes its JSON dict."""
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value if isinstance(value, dict) else dict(value)


class TaskView(Widget, Generic[TaskT, OptionsT, AnswerT], can_focus=True):
    DEFAULT_CSS = """
    TaskView { height: auto; }
    """

    # The models this view is written for, taken from its TaskView[...] base (or set here).
    task_model: ClassVar[type[TaskContent]] = TaskContent
    options_model: ClassVar[type[TaskOptions]] = TaskOptions
    answer_model: ClassVar[type[AnswerValue]] = AnswerValue

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            origin = get_origin(base)
            if not (isinstance(origin, type) and issubclass(origin, TaskView)):
                continue
            args = get_args(base)
            if len(args) == 3 and all(isinstance(a, type) for a in args):
                cls.task_model, cls.options_model, cls.answer_model = args

    class Notice(Message):
        """A short message for the status line (a refusal, a hint)."""

        def __init__(self, text: str, error: bool = False) -> None:
            super().__init__()
            self.text = text
            self.error = error

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__()
        self.adopt(ctx)
        # The one channel for answers, set by the screen that shows the view (labeling or
        # audit review): called at once, so an answer is handled before the next key.
        self.submit_handler: Callable[[str, str, dict[str, Any] | None], None] | None = None

    def adopt(self, ctx: ViewContext) -> None:
        """Take `ctx` as this view's context (when made, and on reload), after checking that
        its task and options are of the models this view is written for."""
        name = type(self).__name__
        for what, got, model in (
            ("task", ctx.task, self.task_model),
            ("options", ctx.options, self.options_model),
        ):
            if not isinstance(got, model):
                raise TypeError(
                    f"{name} shows {model.__name__} {what}, not {type(got).__name__} "
                    f"(task type {ctx.task_type.name!r})"
                )
        self.ctx = ctx
        self._previous: AnswerT | None = None
        self._previous_parsed = False

    # Shadows MessagePump.task (the widget's asyncio task), which Textual 8 never reads
    # (checked: no `.task` in textual/); the view's task is what view code means by it.
    @property
    def task(self) -> TaskT:  # type: ignore[override]
        """The task on screen, as this view's task model (checked in adopt)."""
        return cast(TaskT, self.ctx.task)

    @property
    def options(self) -> OptionsT:
        """The batch's [task] options, as this view's options model (checked in adopt)."""
        return cast(OptionsT, self.ctx.options)

    @property
    def previous(self) -> AnswerT | None:
        """The latest saved value as this view's answer model; None when there is none or
        it does not fit the model (ctx.previous keeps the raw dict)."""
        if not self._previous_parsed:
            self._previous_parsed = True
            raw = self.ctx.previous
            if raw is not None:
                try:
                    self._previous = cast(AnswerT, self.answer_model.model_validate(dict(raw)))
                except ValidationError:
                    self._previous = None
        return self._previous

    def submit(self, answer: str, value: AnswerInput) -> None:
        """Hand an answer (kind, value) for this view's task to its screen, now."""
        if self.submit_handler is None:
            self.post_message(self.Notice(_("nothing here takes an answer"), error=True))
            return
        self.submit_handler(self.ctx.task.id, answer, answer_dict(value))

    def reload(self, ctx: ViewContext) -> bool:
        """Show another task in place of the current one, without a remount (a remount
        costs a frame or two per answer). Return False when this view cannot; the screen
        then mounts a new view."""
        return False

    def prefetch(self, ctx: ViewContext) -> None:
        """Work out ahead what reload(ctx) would paint: the screen calls this in idle time
        with the item it expects an answer to lead to, while the annotator reads this one,
        so that the answer's key only swaps it in. Nothing on screen may change here; a
        wrong guess costs only the idle time. The default does nothing."""

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
        return _("the editor")

    @property
    def draft_changed(self) -> bool:
        """True while the view holds changes not yet saved that leaving the item would throw
        away (typed text, marks). The screen then asks before skip, back, forward or undo."""
        return False

    def handle(self, binding_id: str) -> bool:
        """Act on a binding id of this type or a label key; False if not handled. Runs the
        view's act_ method for it (see the module's docstring); a view rarely overrides this."""
        context, _dot, name = binding_id.partition(".")
        if context == "label":
            return name.isdigit() and self.act_label(int(name)) is not False
        if context != self.ctx.task_type.name or not name.isidentifier():
            return False
        method = getattr(self, f"act_{name}", None)
        if callable(method):
            return method() is not False
        stem, _sep, number = name.rpartition("_")
        method = getattr(self, f"act_{stem}", None) if stem and number.isdigit() else None
        if callable(method):
            return method(int(number)) is not False
        return False

    def act_label(self, n: int) -> bool | None:
        """Label key n (1-based); a view that uses label keys overrides this."""
        return False

    def build_answer(self) -> tuple[str, AnswerT | Mapping[str, Any] | None] | Refusal:
        """(answer kind, value) to save when app.submit is pressed, or why not. The value is
        the view's answer model, or a dict where building the model is not simple."""
        return Refusal(_("nothing to submit yet"))

    def submit_value(self) -> tuple[str, dict[str, Any] | None] | Refusal:
        """build_answer() as the screen takes it: the value as a plain dict."""
        result = self.build_answer()
        if isinstance(result, Refusal):
            return result
        answer, value = result
        return answer, answer_dict(value)

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
