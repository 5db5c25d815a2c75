"""write: options, task checks and the rule checks, as plain Python."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from task_types.base import TaskTypeError
from task_types.registry import get_task_type
from task_types.write.external import ExternalEditorError, edit_text, editor_command
from task_types.write.language import detect
from task_types.write.models import WriteAnswer, WriteOptions
from task_types.write.rules import check_text, clean, count_chars, count_words
from tests.batch_factory import make_batch
from tui.core.batch import Batch
from tui.core.problems import BatchError

WRITE = get_task_type("write")

NL = "Wij sturen uw pakket vandaag nog op, zodat u het morgen in huis heeft."
EN = "We will send your parcel today, so you will have it at home tomorrow."


def rules(**kw: object) -> WriteOptions:
    return WriteOptions.model_validate(kw)


def broken(text: str, options: WriteOptions, source: str | None = None) -> list[str]:
    return [v.rule for v in check_text(text, source, options).violations]


# -- options and tasks -------------------------------------------------------------------------
def test_wrong_rule_type_names_the_field(tmp_path: Path) -> None:
    folder = make_batch(
        tmp_path / "b", [{"id": "1", "source": NL}], task_type="write", task={"min_words": "twenty"}
    )
    with pytest.raises(BatchError) as err:
        Batch.open(folder)
    text = str(err.value)
    assert "task.min_words" in text and "valid integer" in text and "'twenty'" in text
    assert "batch.toml:" in text


def test_rule_checks_on_options() -> None:
    with pytest.raises(ValidationError, match=r"min_words \(20\) is larger than max_words \(10\)"):
        rules(min_words=20, max_words=10)
    with pytest.raises(ValidationError, match="keep"):
        rules(keep=["placeholders", "emoji"])
    with pytest.raises(ValidationError, match="language"):
        rules(language="de")
    with pytest.raises(ValidationError, match="empty"):
        rules(forbidden=["  "])
    with pytest.raises(ValidationError, match=r"Extra inputs"):
        rules(min_word=3)
    with pytest.raises(ValidationError):
        rules(max_chars="200")  # strict: a string is a typo, not a number


def test_task_needs_source_or_prompt() -> None:
    options = rules()
    with pytest.raises(TaskTypeError, match="neither") as err:
        WRITE.parse_task({"id": "1", "instructions": "Be brief."}, options)
    assert err.value.field == "source"
    with pytest.raises(TaskTypeError):
        WRITE.parse_task({"id": "1", "source": "   ", "prompt": ""}, options)
    assert WRITE.parse_task({"id": "2", "prompt": "Write a tweet"}, options)


def test_task_without_source_is_reported_with_its_line(tmp_path: Path) -> None:
    folder = make_batch(
        tmp_path / "b",
        [{"id": "1", "source": NL}, {"id": "2", "meta": {}}],
        task_type="write",
        task={},
    )
    batch = Batch.open(folder)
    item = batch.item(1)
    assert item.task is None and item.problems
    assert "tasks.jsonl:2: [source]" in str(item.problems[0])


def test_answer_model_accepts_the_view_value_and_rejects_empty_text() -> None:
    value = {
        "text": EN,
        "words": 14,
        "chars": 68,
        "language": "en",
        "checks": [],
        "override": None,
        "editor": "builtin",
    }
    assert WRITE.parse_answer(value).model_dump() == value
    with pytest.raises(ValidationError):
        WriteAnswer.model_validate({**value, "text": ""})
    with pytest.raises(ValidationError):
        WriteAnswer.model_validate({**value, "override": {"reason": "x", "violations": []}})
    assert WRITE.labels_of(value) == []
    assert WRITE.summarize(value).startswith("14 words: We will")
    assert WRITE.gold_matches(value, {"text": EN.replace(" ", "  ")})
    assert not WRITE.gold_matches(value, {"text": NL})


# -- counting ---------------------------------------------------------------------------------
def test_words_and_chars() -> None:
    assert count_words("Een — twee, drie-vier {name} 12,50 !") == 5
    assert count_words("  \n ") == 0
    assert count_chars(clean("  héllo wörld  \n\n")) == 11
    assert clean("a  \nb\n\n") == "a\nb"


def test_word_and_char_limits() -> None:
    options = rules(min_words=5, max_words=8, min_chars=20, max_chars=40)
    assert broken("Een twee drie", options) == ["min_words", "min_chars"]
    assert broken("een twee drie vier vijf zes", options) == []
    long = "een twee drie vier vijf zes zeven acht negen tien"
    assert broken(long, options) == ["max_words", "max_chars"]
    report = check_text(long, None, options)
    assert report.violations[0].message == "10 words, at most 8"


# -- language ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        (NL, "nl"),
        ("De monteur komt dinsdag tussen acht en twaalf uur langs.", "nl"),
        ("Graag ontvangen wij een foto van het beschadigde artikel.", "nl"),
        (EN, "en"),
        ("The engineer will visit on Tuesday between eight and twelve.", "en"),
        ("Please send us a photo of the damaged item.", "en"),
    ],
)
def test_language_detection_on_real_sentences(text: str, code: str) -> None:
    detection = detect(text)
    assert detection is not None and detection.code == code and detection.confidence > 0.5


def test_language_too_short_to_tell_is_not_a_violation() -> None:
    assert detect("Hallo") is None
    assert detect("{name} https://example.com 12") is None
    assert broken("Hallo daar", rules(language="en")) == []


def test_language_rule() -> None:
    report = check_text(NL, None, rules(language="en"))
    assert [v.rule for v in report.violations] == ["language"]
    assert "reads as Dutch" in report.violations[0].message
    assert "asks for English" in report.violations[0].message
    assert broken(EN, rules(language="en")) == []
    assert check_text(EN, None, rules()).language == "en"


# -- forbidden phrases ------------------------------------------------------------------------
def test_forbidden_phrases_case_insensitive() -> None:
    options = rules(forbidden=["als AI-taalmodel", "middels"])
    report = check_text("ALS AI-TAALMODEL kan ik dat\nMiddels deze mail.", None, options)
    assert [v.message for v in report.violations] == [
        "forbidden phrase “als AI-taalmodel”",
        "forbidden phrase “middels”",
    ]
    assert broken("Als  AI-taalmodel", options) == ["forbidden"]  # spacing does not hide it
    assert broken("Via deze mail.", options) == []


# -- keep -------------------------------------------------------------------------------------
SOURCE = (
    "Hallo {name}, je bestelling {order_id} van € 1.250,00 is onderweg. "
    "Volg hem via https://track.example.com/{order_id}. Bel 085-1234567."
)
GOOD = (
    "Hi {name}, your order {order_id} of €1,250.00 is on its way. "
    "Track it at https://track.example.com/{order_id}. Call 085-1234567."
)
KEEP = rules(keep=["placeholders", "numbers", "urls"])


def test_keep_everything_kept() -> None:
    assert broken(GOOD, KEEP, SOURCE) == []


def test_keep_reports_each_missing_one() -> None:
    text = "Hi {naam}, your order of €1,250.00 is on its way. Track it at https://example.com."
    messages = [v.message for v in check_text(text, SOURCE, KEEP).violations]
    assert messages == [
        "placeholder {name} is missing",
        "placeholder {order_id} is missing",
        "placeholder {order_id} is missing",
        "{naam} is not a placeholder of the source",
        "number 085 is missing",
        "number 1234567 is missing",
        "URL https://track.example.com/ is missing or changed",
    ]


def test_keep_numbers_changed_value_is_missing() -> None:
    assert broken("Het kost € 12,50 per 3 stuks.", KEEP, "Het kost € 12,50 per 3 stuks.") == []
    assert broken("It costs €12.50 for 4 items.", KEEP, "Het kost € 12,50 per 3 stuks.") == [
        "keep.numbers"
    ]


def test_keep_only_what_is_asked() -> None:
    assert broken("Hi there friend.", rules(keep=["urls"]), "Hallo {name}, 12 x.") == []


# -- the external editor ----------------------------------------------------------------------
def script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "editor.py"
    path.write_text(f"#!{sys.executable}\nimport sys\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_external_editor_rewrites_the_text(tmp_path: Path) -> None:
    editor = script(
        tmp_path,
        "p = sys.argv[1]\nt = open(p, encoding='utf-8').read()\n"
        "open(p, 'w', encoding='utf-8').write(t.upper() + 'ADDED\\n')",
    )
    assert edit_text([str(editor)], "hello\nworld") == "HELLO\nWORLD\nADDED\n"


def test_external_editor_failure_keeps_the_text(tmp_path: Path) -> None:
    editor = script(tmp_path, "sys.exit(3)")
    with pytest.raises(ExternalEditorError, match="status 3"):
        edit_text([str(editor)], "x")
    with pytest.raises(ExternalEditorError, match="cannot run"):
        edit_text([str(tmp_path / "nope")], "x")
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("labeldesk-*.txt"))


def test_editor_command_from_environment() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano -R"}) == ["nano", "-R"]
