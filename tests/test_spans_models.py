"""spans without Textual: options, task checks, tokenizer, offset mapping, editor, layout."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from task_types.base import TaskTypeError
from task_types.spans import TASK_TYPE, tokens_of
from task_types.spans.editor import SpanEditor
from task_types.spans.layout import Wrapped
from task_types.spans.models import SpansAnswer, SpansTask
from task_types.spans.tokens import Tok, TokenIndex, tokenize

OPTIONS = TASK_TYPE.parse_options({"labels": ["PER", "LOC", "ORG"]})
TEXT = "Minister Dilan Yeşilgöz sprak in de Tweede Kamer. Daarna ging ze naar Den Haag."


def words(text: str, toks: list[Tok]) -> list[str]:
    return [text[t.start : t.end] for t in toks]


def test_no_textual_import() -> None:
    code = (
        "import sys, task_types.spans, task_types.spans.models, task_types.spans.editor, "
        "task_types.spans.layout, task_types.spans.tokens; "
        "sys.exit(1 if any(m.startswith('textual') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_tokenizer_splits_words_and_punctuation() -> None:
    text = "Rutte's PvdA-leider zei: «nee» in 's-Hertogenbosch, 3,5 km."
    assert words(text, tokenize(text)) == [
        "Rutte", "'", "s", "PvdA", "-", "leider", "zei", ":", "«", "nee", "»", "in",
        "'", "s", "-", "Hertogenbosch", ",", "3", ",", "5", "km", ".",
    ]  # fmt: skip


def test_tokenizer_keeps_combining_accents_and_cuts_at_spans() -> None:
    text = "Cafe\u0301 Zuid"
    assert words(text, tokenize(text)) == ["Cafe\u0301", "Zuid"]
    assert words("Noordholland", tokenize("Noordholland", [5])) == ["Noord", "holland"]


def test_token_index_maps_offsets() -> None:
    idx = TokenIndex(tokenize(TEXT))
    assert idx.exact(9, 23) == (1, 2)
    assert idx.exact(9, 22) is None
    assert idx.covering(10, 22) == (1, 2)
    assert idx.covering(8, 9) is None  # only the space between tokens
    assert idx.at_or_after(8) == 1


def test_pre_set_span_inside_a_regex_token_is_cut_out() -> None:
    task = TASK_TYPE.parse_task(
        {"id": "a", "text": "ex-PvdA-leider", "spans": [{"start": 3, "end": 7, "label": "ORG"}]},
        OPTIONS,
    )
    assert isinstance(task, SpansTask)
    assert "PvdA" in words("ex-PvdA-leider", tokens_of(task))


@pytest.mark.parametrize(
    ("raw", "message", "field"),
    [
        ({"spans": [{"start": 70, "end": 99, "label": "PER"}]}, "lies outside the text (0-", "spans.0"),
        ({"spans": [{"start": 5, "end": 5, "label": "PER"}]}, "is empty", "spans.0"),
        ({"spans": [{"start": 0, "end": 8, "label": "DATE"}]}, "unknown label 'DATE' in a pre-set span", "spans.0.label"),
        ({"text": "  \n"}, "the text is empty", "text"),
        (
            {"text": "Den Haag", "tokens": [{"start": 0, "end": 3, "text": "Den"}, {"start": 4, "end": 8, "text": "Haga"}]},
            "token 1 says 'Haga' but the text at 4-8 is 'Haag'", "tokens.1.text",
        ),
        (
            {"text": "Den Haag", "tokens": [{"start": 0, "end": 5}, {"start": 4, "end": 8}]},
            "tokens must be in order and not overlap", "tokens.1",
        ),
        (
            {"text": "Den Haag", "tokens": [{"start": 0, "end": 3}, {"start": 4, "end": 8}],
             "spans": [{"start": 0, "end": 5, "label": "LOC"}]},
            "does not begin and end on token boundaries", "spans.0",
        ),
    ],
)  # fmt: skip
def test_bad_tasks_get_precise_messages(raw: dict[str, object], message: str, field: str) -> None:
    line = {"id": "x", "text": TEXT, **raw}
    with pytest.raises(TaskTypeError) as err:
        TASK_TYPE.parse_task(line, OPTIONS)
    assert message in str(err.value)
    assert err.value.field == field


def test_options_need_distinct_labels() -> None:
    with pytest.raises(ValidationError, match="labels"):
        TASK_TYPE.parse_options({})
    with pytest.raises(ValidationError, match="listed twice"):
        TASK_TYPE.parse_options({"labels": ["PER", "PER"]})
    with pytest.raises(ValidationError):
        TASK_TYPE.parse_options({"labels": ["PER"], "multi": True})


def test_answer_model() -> None:
    ok = {"spans": [{"start": 0, "end": 4, "label": "PER", "token_start": 0, "token_end": 0}]}
    assert TASK_TYPE.parse_answer(ok) == SpansAnswer.model_validate(ok)
    assert TASK_TYPE.parse_answer({"spans": []}).spans == []  # type: ignore[attr-defined]
    for bad in (
        {"start": 4, "end": 4, "label": "PER", "token_start": 0, "token_end": 0},
        {"start": 0, "end": 4, "label": "PER", "token_start": 2, "token_end": 1},
        {"start": 0, "end": 4, "label": "PER", "token_start": 0, "token_end": 0, "x": 1},
    ):
        with pytest.raises(ValidationError):
            TASK_TYPE.parse_answer({"spans": [bad]})


def test_summary_labels_and_gold() -> None:
    value = {
        "spans": [
            {"start": 0, "end": 4, "label": "PER", "token_start": 0, "token_end": 0},
            {"start": 9, "end": 12, "label": "PER", "token_start": 2, "token_end": 2},
            {"start": 20, "end": 25, "label": "LOC", "token_start": 4, "token_end": 4},
        ]
    }
    assert TASK_TYPE.summarize(value) == "3 spans: LOC, PER×2"
    assert TASK_TYPE.summarize({"spans": []}) == "no spans"
    assert TASK_TYPE.labels_of(value) == ["PER", "PER", "LOC"]
    gold = {
        "spans": [
            {"start": s["start"], "end": s["end"], "label": s["label"]} for s in value["spans"]
        ]
    }
    assert TASK_TYPE.gold_matches(value, gold)
    gold["spans"][0]["label"] = "ORG"
    assert not TASK_TYPE.gold_matches(value, gold)


def make_editor(spans: list[tuple[int, int, str]] | None = None) -> SpanEditor:
    return SpanEditor(TEXT, tokenize(TEXT), spans or [])


def test_editor_marks_relabels_and_deletes() -> None:
    ed = make_editor()
    ed.move_to(1)
    ed.move_to(2, extend=True)
    assert ed.selection == (1, 2)
    assert ed.apply_label("PER")[0] == "marked"
    assert ed.value()["spans"] == [
        {"start": 9, "end": 23, "label": "PER", "token_start": 1, "token_end": 2}
    ]
    assert ed.anchor is None and ed.cursor == 2
    how, span = ed.apply_label("ORG")
    assert (how, span.label, span.start, span.end) == ("relabeled", "ORG", 9, 23)
    assert [s.label for s in ed.delete()] == ["ORG"]
    assert ed.spans == [] and ed.delete() == []


def test_editor_new_span_replaces_overlapping_ones() -> None:
    ed = make_editor([(9, 23, "PER"), (36, 48, "ORG")])
    ed.move_to(2)
    ed.move_to(7, extend=True)  # "Yeşilgöz ... Kamer" overlaps both
    ed.apply_label("LOC")
    assert [(s.start, s.end, s.label) for s in ed.spans] == [(15, 48, "LOC")]


def test_editor_overlapping_and_duplicate_pre_set_spans() -> None:
    ed = make_editor([(36, 48, "ORG"), (43, 48, "LOC"), (43, 48, "LOC")])
    assert len(ed.spans) == 2  # exact duplicates collapse
    ed.move_to(7)
    current = ed.span_at_cursor()
    assert current is not None and current.label == "LOC"  # the innermost
    ed.delete()
    ed.move_to(7)
    current = ed.span_at_cursor()
    assert current is not None and current.label == "ORG"


def test_editor_jumps() -> None:
    ed = make_editor([(9, 23, "PER"), (70, 78, "LOC")])
    assert ed.sentence_starts == [0, 9]
    ed.move_to(ed.sentence_next())
    assert ed.text[ed.tokens[ed.cursor].start :].startswith("Daarna")
    ed.move_to(ed.cursor + 2)
    assert ed.sentence_back() == 9
    ed.move_to(9)
    assert ed.sentence_back() == 0
    ed.move_to(0)
    assert ed.span_jump(forward=True) == 1
    assert ed.span_jump(forward=False) is None
    ed.move_to(len(ed.tokens) - 1)
    assert ed.span_jump(forward=True) is None
    assert ed.span_jump(forward=False) == 13
    ed.move_to(999)
    assert ed.cursor == len(ed.tokens) - 1
    ed.move_to(-5, extend=True)
    assert ed.selection == (0, len(ed.tokens) - 1)
    assert ed.cancel() and not ed.cancel()


def test_wrap_keeps_every_character_and_fits() -> None:
    text = "Het Rijksmuseum in Amsterdam opent\nvolgend jaar een tentoonstelling " * 20
    for width in (1, 7, 20, 76, 156):
        w = Wrapped(text, width)
        assert w.starts[0] == 0
        covered = "".join(text[a:b] for a, b in zip(w.starts, w.ends, strict=True))
        assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")
        for a, b in zip(w.starts, w.ends, strict=True):
            assert len(text[a:b].rstrip(" ")) <= width
        offset = text.index("tentoonstelling", 200)
        line = w.line_of(offset)
        assert w.starts[line] <= offset < max(w.ends[line], w.starts[line] + 1)


def test_wrap_wide_characters() -> None:
    # Two cells per character: a word wider than the line is cut hard, otherwise at spaces.
    w = Wrapped("東京都 大阪 京都", 4)
    assert [w.starts, w.ends] == [[0, 2, 4, 7], [2, 4, 6, 9]]
    assert w.column_of("東京都 大阪 京都", 5) == 2
    assert w.offset_at("東京都 大阪 京都", 2, 2) == 5
    assert w.offset_at("東京都 大阪 京都", 2, 99) == 5


def test_dutch_tokenizer_keeps_clitics_place_names_and_hyphenated_names_whole() -> None:
    text = "Zo'n auto's reed 's avonds naar 's-Hertogenbosch en Noord-Holland, zei Jan-Peter d'r."
    assert words(text, tokenize(text, language="nl")) == [
        "Zo'n", "auto's", "reed", "'s", "avonds", "naar", "'s-Hertogenbosch", "en",
        "Noord-Holland", ",", "zei", "Jan-Peter", "d'r", ".",
    ]  # fmt: skip
    # A typographic apostrophe is the same; a hyphen between a word and nothing is its own.
    assert words("\u2019t Gooi - ja", tokenize("\u2019t Gooi - ja", language="nl")) == [
        "\u2019t", "Gooi", "-", "ja",
    ]  # fmt: skip
    # English keeps the finer rules; a pre-set span still cuts a Dutch token.
    assert words("Noord-Holland", tokenize("Noord-Holland")) == ["Noord", "-", "Holland"]
    assert words("Noord-Holland", tokenize("Noord-Holland", [5], "nl")) == ["Noord", "-Holland"]


def test_a_dutch_batch_gets_dutch_tokens_unless_it_says_otherwise() -> None:
    assert TASK_TYPE.parse_options({"labels": ["LOC"]}, "nl").tokenizer == "nl"  # type: ignore[attr-defined]
    assert TASK_TYPE.parse_options({"labels": ["LOC"]}, "nl-en").tokenizer == "nl"  # type: ignore[attr-defined]
    assert TASK_TYPE.parse_options({"labels": ["LOC"]}, "en").tokenizer == "en"  # type: ignore[attr-defined]
    chosen = TASK_TYPE.parse_options({"labels": ["LOC"], "tokenizer": "en"}, "nl")
    assert chosen.tokenizer == "en"  # type: ignore[attr-defined]
    task = TASK_TYPE.parse_task({"id": "x", "text": "Naar 's-Hertogenbosch."}, chosen)
    assert len(tokens_of(task, "nl")) == 3 and len(tokens_of(task)) == 6  # type: ignore[arg-type]


def test_name_jumps_take_particles_between_capitals_only_and_search_wraps() -> None:
    from task_types.spans.editor import SpanEditor

    text = "Toen zei Ludwig van Beethoven tegen de Koning: kom van de trap. De Koning lachte."
    ed = SpanEditor(text, tokenize(text, language="nl"), [])

    def chosen(found: tuple[int, int] | None) -> str | None:
        if found is None:
            return None
        ed.select(*found)
        start, end = ed.selection_chars()
        return text[start:end]

    seen = [chosen(ed.name_jump(True)) for _ in range(4)]
    assert seen == ["Ludwig van Beethoven", "Koning", "De Koning", None]
    assert chosen(ed.name_jump(False)) == "Koning"
    assert chosen(ed.search("KONING")) == "Koning"  # the next one after the selection
    assert chosen(ed.search("koning")) == "Koning"  # wraps round to the first
    assert ed.search("   ") is None and ed.search("paleis") is None
