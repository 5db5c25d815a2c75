"""spans: mark entities (persons, places, organisations, ...) in a text with the keyboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from task_types.base import BindingSpec, TaskContent, TaskOptions, TaskType, TaskTypeError
from task_types.spans.models import SpansAnswer, SpansOptions, SpansTask
from task_types.spans.patterns import load_patterns
from task_types.spans.tokens import Tok, tokenize
from tui.core.i18n import N_, _, ngettext


def tokens_of(task: SpansTask, language: str = "en") -> list[Tok]:
    """The task's own tokens when it has them, else the regex tokenizer's for `language`."""
    if task.tokens:
        return [Tok(t.start, t.end) for t in task.tokens]
    cuts = (c for s in task.spans for c in (s.start, s.end))
    return tokenize(task.text, cuts, language)


def _check_tokens(task: SpansTask) -> None:
    size = len(task.text)
    previous_end = 0
    for n, tok in enumerate(task.tokens or []):
        where = f"tokens.{n}"
        if not tok.start < tok.end <= size:
            raise TaskTypeError(
                _("token {n} ({start}-{end}) lies outside the text (0-{size}) or is empty").format(
                    n=n, start=tok.start, end=tok.end, size=size
                ),
                where,
            )
        if tok.start < previous_end:
            raise TaskTypeError(
                _(
                    "token {n} starts at {start}, inside or before token {previous} (which "
                    "ends at {previous_end}): tokens must be in order and not overlap"
                ).format(n=n, start=tok.start, previous=n - 1, previous_end=previous_end),
                where,
            )
        if tok.text is not None and tok.text != task.text[tok.start : tok.end]:
            raise TaskTypeError(
                _("token {n} says {said!r} but the text at {start}-{end} is {text!r}").format(
                    n=n,
                    said=tok.text,
                    start=tok.start,
                    end=tok.end,
                    text=task.text[tok.start : tok.end],
                ),
                f"{where}.text",
            )
        previous_end = tok.end


class SpansType(TaskType):
    def folder_problems(self, options: TaskOptions, folder: Path) -> list[str]:
        assert isinstance(options, SpansOptions)
        if not options.patterns:
            return []
        return load_patterns(folder / options.patterns, options.labels).problems

    def parse_options(self, table: Mapping[str, Any], language: str | None = None) -> TaskOptions:
        # A Dutch batch (or one translated from Dutch) gets Dutch tokens unless it says so.
        if "tokenizer" not in table and language is not None and language.startswith("nl"):
            table = {**table, "tokenizer": "nl"}
        return super().parse_options(table, language)

    def check(self, task: TaskContent, options: TaskOptions) -> None:
        assert isinstance(task, SpansTask) and isinstance(options, SpansOptions)
        if not task.text.strip():
            raise TaskTypeError(_("the text is empty: there is nothing to mark"), "text")
        _check_tokens(task)
        size = len(task.text)
        token_starts = {t.start for t in task.tokens or []}
        token_ends = {t.end for t in task.tokens or []}
        known = set(options.labels)
        for n, span in enumerate(task.spans):
            where = f"spans.{n}"
            if span.end > size:
                raise TaskTypeError(
                    _("span {start}-{end} lies outside the text (0-{size})").format(
                        start=span.start, end=span.end, size=size
                    ),
                    where,
                )
            if span.end <= span.start:
                raise TaskTypeError(
                    _("span {start}-{end} is empty: end (exclusive) must exceed start").format(
                        start=span.start, end=span.end
                    ),
                    where,
                )
            if span.label not in known:
                raise TaskTypeError(
                    _(
                        "unknown label {label!r} in a pre-set span; the labels are {labels} "
                        "(add it to [task] labels or --labels)"
                    ).format(label=span.label, labels=", ".join(options.labels)),
                    f"{where}.label",
                )
            if task.tokens and (span.start not in token_starts or span.end not in token_ends):
                raise TaskTypeError(
                    _(
                        "span {start}-{end} ({text!r}) does not begin and end on token "
                        "boundaries of the task's tokens"
                    ).format(start=span.start, end=span.end, text=task.text[span.start : span.end]),
                    where,
                )

    def tokens(self, task: TaskContent, options: TaskOptions) -> list[tuple[int, int]] | None:
        assert isinstance(task, SpansTask) and isinstance(options, SpansOptions)
        return [(t.start, t.end) for t in tokens_of(task, options.tokenizer)]

    def labels_of(self, value: Mapping[str, Any] | None) -> list[str]:
        if not value:
            return []
        return [str(s.get("label")) for s in value.get("spans") or [] if isinstance(s, dict)]

    def summarize(self, value: Mapping[str, Any] | None) -> str:
        if value is None:
            return "—"
        counts = Counter(self.labels_of(value))
        if not counts:
            return _("no spans")
        parts = [f"{label}×{n}" if n > 1 else label for label, n in sorted(counts.items())]
        total = sum(counts.values())
        return ngettext("{total} span: {parts}", "{total} spans: {parts}", total).format(
            total=total, parts=", ".join(parts)
        )

    def answer_key(self, value: Mapping[str, Any] | None) -> Hashable:
        """The set of (start, end, label): the order spans were marked in does not count."""
        if not value:
            return frozenset()
        return frozenset(
            (s.get("start"), s.get("end"), str(s.get("label")))
            for s in value.get("spans") or []
            if isinstance(s, dict)
        )

    def gold_difference(
        self, value: Mapping[str, Any] | None, gold: Mapping[str, Any]
    ) -> list[str]:
        def triples(v: Mapping[str, Any] | None) -> set[tuple[Any, Any, Any]]:
            spans = (v or {}).get("spans") or []
            return {
                (s.get("start"), s.get("end"), s.get("label")) for s in spans if isinstance(s, dict)
            }

        def shown(spans: set[tuple[Any, Any, Any]]) -> str:
            return ", ".join(
                f"{label} {start}-{end}"
                for start, end, label in sorted(
                    spans, key=lambda t: (t[0] if isinstance(t[0], int) else -1, str(t))
                )
            )

        mine, theirs = triples(value), triples(gold)
        out = []
        if theirs - mine:
            out.append("missing: " + shown(theirs - mine))
        if mine - theirs:
            out.append(_("not expected: ") + shown(mine - theirs))
        return out

    def gold_matches(self, value: Mapping[str, Any] | None, gold: Mapping[str, Any]) -> bool:
        """Exact match of the set of (start, end, label), as span-level NER scoring counts."""
        if value is None:
            return False

        def triples(v: Mapping[str, Any]) -> set[tuple[Any, Any, Any]]:
            return {
                (s.get("start"), s.get("end"), s.get("label"))
                for s in v.get("spans") or []
                if isinstance(s, dict)
            }

        return triples(value) == triples(gold)


TASK_TYPE = SpansType(
    name="spans",
    title="Mark spans (entities) in a text",
    options_model=SpansOptions,
    task_model=SpansTask,
    answer_model=SpansAnswer,
    view_path="task_types.spans.view:SpansView",
    bindings=(
        BindingSpec("left", N_("cursor to the previous token"), review=True),
        BindingSpec("right", N_("cursor to the next token"), review=True),
        BindingSpec("up", N_("cursor one line up"), review=True),
        BindingSpec("down", N_("cursor one line down"), review=True),
        BindingSpec(
            "sentence_back", N_("cursor to the start of the (previous) sentence"), review=True
        ),
        BindingSpec("sentence_next", N_("cursor to the start of the next sentence"), review=True),
        BindingSpec("prev_span", N_("cursor to the previous span"), review=True),
        BindingSpec("next_span", N_("cursor to the next span"), review=True),
        BindingSpec("extend_left", N_("extend the selection one token left")),
        BindingSpec("extend_right", N_("extend the selection one token right")),
        BindingSpec("extend_up", N_("extend the selection one line up")),
        BindingSpec("extend_down", N_("extend the selection one line down")),
        BindingSpec("next_name", N_("select the next name (capitalised words)"), review=True),
        BindingSpec("prev_name", N_("select the previous name"), review=True),
        BindingSpec("search", N_("find words in the text (⏎ selects the next match)"), review=True),
        BindingSpec("delete", N_("delete the span under the cursor")),
        BindingSpec("cancel", N_("drop the selection")),
    ),
    package_dir=Path(__file__).parent,
    uses_label_keys=True,
)
