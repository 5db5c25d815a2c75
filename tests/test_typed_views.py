"""The typed view contract (issue 10, item 3): a view declares its task, options and answer
models once (TaskView[Task, Options, Answer]); it is refused a task of another type; keys
reach act_ methods; answer models reach the screen as plain dicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from task_types.base import AnswerValue
from task_types.binary.models import BinaryAnswer, BinaryOptions, BinaryTask
from task_types.classify.models import ClassifyOptions, ClassifyTask
from task_types.registry import get_task_type
from tui.core.keymap import build_keymap
from tui.task_view import Refusal, TaskView, ViewContext, answer_dict

VIEW_TYPES = ["audio", "binary", "classify", "compare", "image", "rate", "spans", "video", "write"]


def context(type_name: str, task: Any, options: Any, previous: Any = None) -> ViewContext:
    task_type = get_task_type(type_name)
    return ViewContext(
        task_type=task_type,
        options=options,
        task=task,
        previous=previous,
        keymap=build_keymap(task_type),
        batch_dir=Path("."),
    )


@pytest.mark.parametrize("name", VIEW_TYPES)
def test_every_view_declares_its_type_models(name: str) -> None:
    task_type = get_task_type(name)
    view = task_type.view_class()
    assert issubclass(view, TaskView)
    assert view.task_model is task_type.task_model
    assert view.options_model is task_type.options_model
    assert view.answer_model is task_type.answer_model


@pytest.mark.parametrize("name", VIEW_TYPES)
def test_every_view_builds_and_reads_its_own_answer_model(name: str) -> None:
    """build_answer is annotated with the type's answer model (so mypy --strict checks what
    it builds), and no view reads the saved answer as ctx.previous' raw dict."""
    import inspect
    import typing

    task_type = get_task_type(name)
    view = task_type.view_class()
    hints = typing.get_type_hints(view.build_answer, vars(inspect.getmodule(view)))
    built, refusal = typing.get_args(hints["return"])  # tuple[str, Answer | None] | Refusal
    assert refusal is Refusal
    kind, value = typing.get_args(built)
    assert kind is str and typing.get_args(value) == (task_type.answer_model, type(None))
    source = Path(inspect.getfile(view)).read_text(encoding="utf-8")
    assert "ctx.previous" not in source, f"{name} reads the raw saved answer"


def test_a_view_refuses_a_task_of_another_type() -> None:
    view_class = get_task_type("binary").view_class()
    ctx = context("binary", ClassifyTask(id="1", text="x"), ClassifyOptions(labels=["a"]))
    with pytest.raises(TypeError, match="BinaryView shows BinaryTask task, not ClassifyTask"):
        view_class(ctx)
    ctx = context("binary", BinaryTask(id="1", text="x"), ClassifyOptions(labels=["a"]))
    with pytest.raises(TypeError, match="BinaryOptions options, not ClassifyOptions"):
        view_class(ctx)


def test_typed_task_options_and_previous() -> None:
    view_class = get_task_type("binary").view_class()
    task, options = BinaryTask(id="1", text="x", label="POS"), BinaryOptions()
    view = view_class(context("binary", task, options, {"label": "POS", "accept": False}))
    assert view.task is task and view.options is options
    assert view.previous == BinaryAnswer(label="POS", accept=False)
    assert view_class(context("binary", task, options)).previous is None
    assert view_class(context("binary", task, options, {"accept": "maybe"})).previous is None


class _Probe(TaskView):
    """A view with act_ methods, to see where ids go."""

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__(ctx)
        self.calls: list[tuple[str, int | None]] = []

    def act_accept(self) -> None:
        self.calls.append(("accept", None))

    def act_reject(self) -> bool:
        self.calls.append(("reject", None))
        return False

    def act_label(self, n: int) -> bool | None:
        self.calls.append(("label", n))
        return None

    def act_score(self, n: int) -> None:
        self.calls.append(("score", n))


def test_handle_dispatches_to_act_methods() -> None:
    probe = _Probe(context("binary", BinaryTask(id="1", text="x"), BinaryOptions()))
    assert probe.handle("binary.accept") is True
    assert probe.handle("binary.reject") is False  # the method said: not handled
    assert probe.handle("label.3") is True
    assert probe.handle("binary.score_7") is True  # <name>_<N> -> act_<name>(N)
    assert probe.calls == [("accept", None), ("reject", None), ("label", 3), ("score", 7)]
    for unknown in ("binary.nothing", "compare.accept", "label.x", "binary.", "binary.of"):
        assert probe.handle(unknown) is False
    assert len(probe.calls) == 4


class _Answering(TaskView):
    def build_answer(self) -> tuple[str, AnswerValue | dict[str, Any] | None] | Refusal:
        return "reject", BinaryAnswer(label=None, accept=False)


def test_an_answer_model_reaches_the_screen_as_a_dict() -> None:
    view = _Answering(context("binary", BinaryTask(id="t1", text="x"), BinaryOptions()))
    assert view.submit_value() == ("reject", {"label": None, "accept": False})
    got: list[tuple[str, str, dict[str, Any] | None]] = []
    view.submit_handler = lambda task_id, answer, value: got.append((task_id, answer, value))
    view.submit_current()
    view.submit("accept", BinaryAnswer(label="POS", accept=True))
    view.submit("accept", {"raw": 1})
    assert got == [
        ("t1", "reject", {"label": None, "accept": False}),
        ("t1", "accept", {"label": "POS", "accept": True}),
        ("t1", "accept", {"raw": 1}),
    ]
    assert answer_dict(None) is None


@pytest.mark.parametrize("name", VIEW_TYPES)
def test_every_binding_of_a_type_has_an_act_method(name: str) -> None:
    """Keys are methods, not an if/elif on strings: no view overrides handle() or
    submit_value(), none defines a key_ method (Textual would call it for that key itself),
    and each of the type's bindings reaches a method."""
    task_type = get_task_type(name)
    view = task_type.view_class()
    for klass in view.__mro__[: view.__mro__.index(TaskView)]:
        assert "handle" not in vars(klass), klass
        assert "submit_value" not in vars(klass), klass
        assert not [m for m in vars(klass) if m.startswith("key_")], klass
    for binding in task_type.bindings:
        stem, _, number = binding.id.rpartition("_")
        assert hasattr(view, f"act_{binding.id}") or (
            number.isdigit() and hasattr(view, f"act_{stem}")
        ), f"{name}.{binding.id} has no act_ method"
    if task_type.uses_label_keys:
        assert view.act_label is not TaskView.act_label
