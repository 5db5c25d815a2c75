"""The task-type contract, at the ground floor: the engine and the task types build on it.
A task type is data + models; its Textual view is imported lazily.

A task type lives in task_types/<name>/ and provides:
  - models.py: pydantic models for its options ([task] table of batch.toml), one task line's
    content, and its answer value — importing no Textual (tests/test_architecture.py checks);
  - keys.toml: its default bindings, binding id -> keys (keymaps are data, never code);
  - view.py: a TaskView subclass (a Textual widget) that shows one task and edits its answer;
  - __init__.py: a TaskType instance named TASK_TYPE, registered by name in task_types.registry.

Adding a task type touches task_types/ (plus its samples and tests) and nothing else.

Models take an empty list or dict default from `Field(default_factory=empty_list)` (or
`empty_dict`; task types import both from task_types.base), not `default_factory=list` nor
`= []`: why, at `empty_list` below (start-up, and each instance's validation).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

# How many label keys (label.1, label.2, ...) a keymap may define: a task type with more
# labels than this is refused (its options model checks), and the keymap stops here.
MAX_LABEL_KEYS = 40


def empty_list() -> list[Any]:
    """An empty list for `Field(default_factory=empty_list)`.

    With a builtin as the factory (`default_factory=list`), pydantic reads the builtin's text
    signature when it builds the model: that compiles tokenize's patterns on first use (~1.8
    ms before the first item can be shown) and costs ~0.1 ms per field after. A literal `= []`
    avoids it, but pydantic deep-copies such a default for every instance (measured: a task's
    validation 2.5 -> 3.2 µs). A plain function has a signature Python already holds, and is
    called once per instance."""
    return []


def empty_dict() -> dict[str, Any]:
    """An empty dict for `Field(default_factory=empty_dict)` (why: `empty_list`)."""
    return {}


class TaskOptions(BaseModel):
    """The [task] table of batch.toml. Unknown keys are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid")


class TaskContent(BaseModel):
    """One task line's content fields. Extra fields (meta, Prodigy hashes, ...) are kept."""

    model_config = ConfigDict(extra="allow")

    id: str
    meta: dict[str, Any] = {}
    gold: dict[str, Any] | None = None


class AnswerValue(BaseModel):
    """The `value` of a result line."""

    model_config = ConfigDict(extra="forbid")


class TaskTypeError(ValueError):
    """A task is well-formed JSON with the right fields but makes no sense for its options
    (a span outside the text, an unknown label); `field` names where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def generic_labels(value: Mapping[str, Any] | None) -> list[str]:
    """`labels` (a list) or `label` of an answer value: what most task types carry."""
    if not value:
        return []
    labels = value.get("labels")
    if isinstance(labels, list):
        return [str(x) for x in labels]
    label = value.get("label")
    return [str(label)] if label is not None else []


@dataclass(frozen=True)
class BindingSpec:
    """One binding a task type handles: id (without the type prefix) and what it does.
    `review`: the key only looks (scroll, move a cursor, zoom, play, open externally), so
    it also works while an auditor reviews an answer in the view."""

    id: str
    description: str
    review: bool = False


@dataclass
class TaskType:
    name: str
    title: str
    options_model: type[TaskOptions]
    task_model: type[TaskContent]
    answer_model: type[AnswerValue]
    view_path: str  # "module:Class", imported only when the UI needs it
    bindings: tuple[BindingSpec, ...] = ()
    package_dir: Path = field(default_factory=Path)
    # Whether the `answer` kind is chosen by the view (binary: accept/reject) or is "accept".
    answer_kinds: tuple[str, ...] = ("accept",)
    # Whether the view uses the shared label keys (label.1, label.2, ...) from the keymap.
    uses_label_keys: bool = False
    # How many of them (label.1 .. label.N): a type whose own keys are letters uses only the
    # digits, so its letters never clash with label keys 10 and up.
    label_key_count: int = MAX_LABEL_KEYS

    # -- hooks a type may override by subclassing ------------------------------------------
    def normalize(self, raw: dict[str, Any], options: TaskOptions) -> dict[str, Any]:
        """Map foreign formats (Prodigy answers, Label Studio) onto this type's task fields."""
        return raw

    def check(self, task: TaskContent, options: TaskOptions) -> None:
        """Semantic checks beyond the model; raise TaskTypeError with a precise message."""

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        """One line describing an answer value, for review screens, reports and stats."""
        if not value:
            return "—"
        return ", ".join(f"{k}={v}" for k, v in value.items())

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        """The categorical labels an answer carries (label distributions, audit strata,
        agreement). Types without categorical labels return []."""
        return generic_labels(value)

    def answer_key(self, value: Mapping[str, Any] | None) -> Hashable:
        """A comparable key for an answer value: two annotators gave "the same" answer (merge,
        adjudication) when their keys are equal. Default: a value that holds only `labels` /
        `label` is its label set (order and repeats do not matter); any other value is
        itself, canonically (sorted keys), so nothing it carries is silently ignored. Types
        whose values hold volatile parts (a display order, a seed, a note) override this."""
        if not value:
            return ()
        if set(value) <= {"label", "labels"}:
            return ("labels", tuple(sorted(set(generic_labels(value)))))
        return ("value", json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))

    def tokens(self, task: TaskContent, options: TaskOptions) -> list[tuple[int, int]] | None:
        """The (start, end) character offsets of the tokens an answer's token indices count
        (span answers carry `token_start`/`token_end`) — the ones the view showed; None for
        types without tokens. Exports use it to write the tokens those indices mean."""
        return None

    def gold_matches(self, value: Mapping[str, Any] | None, gold: Mapping[str, Any]) -> bool:
        """Is an answer value right against a gold value? Default: equal labels, else equal."""
        if value is None:
            return False
        mine, theirs = self.labels_of(value), self.labels_of(gold)
        if mine or theirs:
            return sorted(mine) == sorted(theirs)
        return dict(value) == dict(gold)

    def gold_difference(
        self, value: Mapping[str, Any] | None, gold: Mapping[str, Any]
    ) -> list[str]:
        """What differs between an answer and its gold value, for the annotator in gold
        training ("missing: sport", "extra: politiek"). Default: the labels each lacks."""
        mine, theirs = set(self.labels_of(value)), set(self.labels_of(gold))
        out = []
        if theirs - mine:
            out.append("missing: " + ", ".join(sorted(theirs - mine)))
        if mine - theirs:
            out.append("not expected: " + ", ".join(sorted(mine - theirs)))
        return out

    # -- plumbing --------------------------------------------------------------------------
    @property
    def keymap_file(self) -> Path:
        return self.package_dir / "keys.toml"

    def view_class(self) -> type[Any]:
        module_name, _, cls_name = self.view_path.partition(":")
        module = importlib.import_module(module_name)
        return getattr(module, cls_name)  # type: ignore[no-any-return]

    def review_ids(self) -> set[str]:
        """Full ids of the bindings that work in review mode (they change no answer)."""
        return {f"{self.name}.{b.id}" for b in self.bindings if b.review}

    def parse_options(self, table: Mapping[str, Any], language: str | None = None) -> TaskOptions:
        """The batch's `[task]` table as this type's options. `language` is the batch's
        (nl, en, nl-en, en-nl), for a type whose defaults depend on it."""
        return self.options_model.model_validate(dict(table))

    def folder_problems(self, options: TaskOptions, folder: Path) -> list[str]:
        """Problems with files the options name in the batch folder (a pattern file, say),
        each naming the file, line and field; `labeldesk validate` lists them."""
        return []

    def parse_task(self, raw: dict[str, Any], options: TaskOptions) -> TaskContent:
        task = self.task_model.model_validate(self.normalize(raw, options))
        self.check(task, options)
        return task

    def parse_answer(self, value: Mapping[str, Any]) -> AnswerValue:
        return self.answer_model.model_validate(dict(value))

    binding_prefix: ClassVar[str] = ""
