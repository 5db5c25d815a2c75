"""A Dutch and English interface (issue 15, part 7): one translation layer, complete catalogs.

- the committed catalog is what the source marks (extracted here with Babel), nothing more;
- the nl catalog is complete, not fuzzy, and keeps every placeholder;
- the committed .mo is the compiled .po;
- a scripted session in nl shows no English sentence of the catalog, and one in en is English;
- `labeldesk keys` and the help overlay speak Dutch.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import json
import re
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

import pytest
from textual.pilot import Pilot

from tests.batch_factory import make_batch, read_results
from tests.screen_text import screen_text
from tests.tmux_terminal import LABELDESK, TmuxTerminal
from tui.app import LabelDeskApp
from tui.core import i18n
from tui.launch import prepare

REPO = Path(__file__).resolve().parent.parent
PO = REPO / "tui" / "locale" / "nl" / "LC_MESSAGES" / "labeldesk.po"
MO = PO.with_suffix(".mo")


def _catalog_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "i18n_catalog", REPO / "tools" / "i18n_catalog.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_catalog"] = module
    spec.loader.exec_module(module)
    return module


tool = _catalog_tool()


def _use(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    monkeypatch.setenv("LABELDESK_LANGUAGE", language)
    i18n.set_language(None)


# -- the catalogs ------------------------------------------------------------------------------


def test_the_committed_catalog_is_what_the_source_marks() -> None:
    source = tool.msgids(tool.extract())
    committed = tool.msgids(tool.read_catalog(PO))
    assert sorted(source - committed, key=str) == [], "run python tools/i18n_catalog.py update"
    assert sorted(committed - source, key=str) == [], "stale entries: run ... update"
    assert len(source) > 500  # the whole interface, not a handful of strings


def test_the_dutch_catalog_is_complete_and_keeps_placeholders() -> None:
    assert tool.problems(tool.read_catalog(PO), tool.extract()) == []


def test_the_problem_check_can_fail() -> None:
    """The completeness check finds a dropped placeholder, a fuzzy and a missing entry."""
    from babel.messages.catalog import Catalog

    source = Catalog(locale="nl")
    source.add("saved {task_id}")
    source.add("skip this item")
    source.add(("{count} item", "{count} items"))
    done = Catalog(locale="nl")
    done.add("saved {task_id}", "opgeslagen")
    done.add("skip this item", "dit item overslaan", flags=["fuzzy"])
    found = tool.problems(done, source)
    assert any(p.startswith("placeholders differ") for p in found)
    assert any(p.startswith("fuzzy") for p in found)
    assert any(p.startswith("missing") for p in found)


def test_the_committed_mo_is_the_compiled_po() -> None:
    compiled = gettext.GNUTranslations(io.BytesIO(tool.compiled(tool.read_catalog(PO))))
    committed = gettext.GNUTranslations(io.BytesIO(MO.read_bytes()))
    assert committed._catalog == compiled._catalog  # type: ignore[attr-defined]


def test_no_f_string_inside_a_translation_call() -> None:
    """_() of an f-string would look up the already formatted text: never in the catalog."""
    offenders = []
    for path in sorted([*(REPO / "tui").rglob("*.py"), *(REPO / "task_types").rglob("*.py")]):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\b(?:_|ngettext|N_|pgettext)\(\s*f[\"']", text):
            offenders.append(f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}")
    assert offenders == []


# -- choosing the language ---------------------------------------------------------------------


def test_language_from_override_config_environment_else_english() -> None:
    resolve = i18n.resolve_language
    assert resolve(None, {}) == "en"
    assert resolve(None, {"LANG": "nl_NL.UTF-8"}) == "nl"
    assert resolve(None, {"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}) == "en"  # LC_ALL decides
    assert resolve(None, {"LC_MESSAGES": "nl_BE.UTF-8", "LANG": "en_GB.UTF-8"}) == "nl"
    assert resolve(None, {"LANGUAGE": "fr:nl", "LANG": "en_US.UTF-8"}) == "nl"
    assert resolve(None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert resolve("nl", {"LANG": "en_US.UTF-8"}) == "nl"  # the config beats the environment
    assert resolve("nl", {"LABELDESK_LANGUAGE": "en"}) == "en"


def test_config_language_is_read_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.user_config import load_user_config

    monkeypatch.delenv("LABELDESK_LANGUAGE")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('language = "nl_NL"\n', encoding="utf-8")
    i18n.set_language(None)
    assert i18n.current_language() == "nl"
    assert i18n._("skip this item") == "dit item overslaan"
    # An unknown language is dropped with a warning; the rest of the config still counts.
    (config / "config.toml").write_text('annotator = "anna"\nlanguage = "fr"\n', encoding="utf-8")
    loaded, problems = load_user_config()
    assert loaded.annotator == "anna" and loaded.language is None
    assert [(p.field, p.severity) for p in problems] == [("language", "warning")]
    i18n.set_language(None)
    assert i18n.current_language() == "en"  # from LANG


def test_a_bad_config_value_does_not_hang_the_language_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config.toml with a bad value: choosing the language reads only `language` (no
    pydantic, nothing translated while the choice is made, so nothing waits for itself);
    the file's problems, read the full way afterwards, are in that language."""
    import threading

    from tui.core.user_config import load_user_config

    monkeypatch.delenv("LABELDESK_LANGUAGE")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        'language = "nl"\nidle_threshold_s = -1\n', encoding="utf-8"
    )
    i18n.set_language(None)
    found: list[str] = []
    worker = threading.Thread(target=lambda: found.append(i18n._("skip this item")), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert found == ["dit item overslaan"]
    # Read again once the language is known: the problem in Dutch, with its field.
    problems = load_user_config()[1]
    assert [(p.field, p.message) for p in problems] == [
        ("idle_threshold_s", "moet groter dan 0 zijn (gevonden: -1)")
    ]


def test_english_is_the_source_and_needs_no_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, "en")
    assert i18n._("skip this item") == "skip this item"
    assert i18n.ngettext("{count} segment", "{count} segments", 2) == "{count} segments"
    _use(monkeypatch, "nl")
    assert i18n.ngettext("{count} segment", "{count} segments", 1) == "{count} segment"
    assert i18n.ngettext("{count} segment", "{count} segments", 2) == "{count} segmenten"
    assert i18n.pgettext("answer kind", "skip") == "overgeslagen"
    assert i18n._("skip") == "overslaan"


# -- what the screen shows ---------------------------------------------------------------------


def _english_sentences() -> list[str]:
    """Pieces of English msgids between placeholders, three words or more, that the Dutch
    catalog translates to something else (a piece also found in a translation is left out:
    `labeldesk validate` is a command name in both)."""
    catalog = tool.read_catalog(PO)
    translations: list[str] = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translations += [s for s in strings if s]
    dutch = "\n".join(translations)
    pieces: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            for piece in re.split(r"\{[^{}]*\}|\n", msgid):
                piece = " ".join(piece.split()).strip(" .,:;·()—")
                if len(piece.split()) >= 3 and piece not in dutch:
                    pieces.add(piece)
    return sorted(pieces)


ENGLISH = _english_sentences()


def _words(text: str) -> set[str]:
    # Binding ids (app.skip) and file names are names, not words of the interface.
    text = re.sub(r"\b[\w-]+\.[\w.-]+\b", " ", text.lower())
    return set(re.findall(r"[a-z]{4,}", text))


def _english_vocabulary() -> set[str]:
    """Words of the English msgids that no Dutch translation uses: a string that bypassed
    the layer is English, and made of the interface's words."""
    english: set[str] = set()
    dutch: set[str] = set()
    for message in tool.read_catalog(PO):
        if message.id:
            for text in tool.texts(message.id):
                english |= _words(re.sub(r"\{[^{}]*\}", " ", text))
            for text in tool.texts(message.string):
                dutch |= _words(re.sub(r"\{[^{}]*\}", " ", text))
    return english - dutch


VOCABULARY = _english_vocabulary()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _english_on(screen: str) -> list[str]:
    flat = _flat(screen)
    return [piece for piece in ENGLISH if piece in flat]


@asynccontextmanager
async def _labeling(folder: Path) -> AsyncIterator[tuple[Pilot[None], LabelDeskApp]]:
    prepared = prepare(folder, annotator="anna")
    app = LabelDeskApp(prepared.session, prepared.keymap)
    try:
        async with app.run_test(size=(110, 32)) as pilot:
            await pilot.pause()
            yield pilot, app
    finally:
        prepared.session.store.close()


async def _settle(pilot: Pilot[None], app: LabelDeskApp, *, without: str = "") -> str:
    """The screen once painted (and once `without`, a loading text, is gone)."""
    text = ""
    for _ in range(100):
        await pilot.pause(0.02)
        text = screen_text(app)  # type: ignore[arg-type]
        if not without or without not in text:
            break
    return text


def _content(folder: Path) -> str:
    """Task content, meta, label names, titles, the guidelines and the task type's name:
    never translated (the Dutch guidelines of rate-nl quote the English marker)."""
    return "".join(
        (folder / name).read_text(encoding="utf-8")
        for name in ("tasks.jsonl", "batch.toml", "guidelines.md")
        if (folder / name).is_file()
    )


def _sample(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(REPO / "samples" / name, target, ignore=shutil.ignore_patterns("results"))
    return target


def _ranking_batch(tmp_path: Path) -> Path:
    tasks = [
        {
            "id": "rang-1",
            "prompt": "Welke hoofdstad hoort bij Nederland?",
            "responses": [
                {"id": "a", "text": "Amsterdam is de hoofdstad."},
                {"id": "b", "text": "Den Haag, waar de regering zit."},
                {"id": "c", "text": "Rotterdam, de havenstad."},
            ],
        }
    ]
    return make_batch(
        tmp_path / "rang", tasks, task_type="compare", task={}, guidelines="# Richtlijnen\n"
    )


async def _screens(tmp_path: Path) -> dict[str, str]:
    """A scripted session over several task types and overlays: each step's screen text."""
    seen: dict[str, str] = {}
    folders = [
        _sample(tmp_path, "classify-nl"),
        _ranking_batch(tmp_path),
        _sample(tmp_path, "spans-nl"),
        _sample(tmp_path, "write-nl"),
        _sample(tmp_path, "binary-nl"),
        _sample(tmp_path, "rate-nl"),
        _sample(tmp_path, "image-nl"),
    ]
    seen["content"] = _flat("".join(_content(f) for f in folders))
    async with _labeling(folders[0]) as (pilot, app):
        seen["classify"] = await _settle(pilot, app)
        await pilot.press("1")
        seen["classify answered"] = await _settle(pilot, app)
        await pilot.press("f1")
        seen["help"] = await _settle(pilot, app)
        await pilot.press("escape")
        await pilot.press("exclamation_mark")
        seen["flag"] = await _settle(pilot, app)
        await pilot.press("1")
        seen["flag reason"] = await _settle(pilot, app)
        await pilot.press("enter")
        seen["flag noted"] = await _settle(pilot, app)
        await pilot.press("space")
        seen["skipped"] = await _settle(pilot, app)
        await pilot.press("f5")
        seen["summary"] = await _settle(pilot, app, without="berekenen")
        await pilot.press("escape")
        await pilot.press("f6")
        seen["stats"] = await _settle(pilot, app, without="berekenen")
        await pilot.press("escape")
        await pilot.press("f3")
        seen["history"] = await _settle(pilot, app, without="zoeken…")
        await pilot.press("tab")
        seen["history skipped"] = await _settle(pilot, app)
        await pilot.press("escape")
        await pilot.press("backspace")
        seen["undo"] = await _settle(pilot, app)
        await pilot.press("9")
        seen["not a label"] = await _settle(pilot, app)
    async with _labeling(folders[1]) as (pilot, app):
        seen["ranking"] = await _settle(pilot, app)
        await pilot.press("enter")
        seen["ranking untouched"] = await _settle(pilot, app)
        await pilot.press("2")
        seen["ranking typed"] = await _settle(pilot, app)
    async with _labeling(folders[2]) as (pilot, app):
        seen["spans"] = await _settle(pilot, app)
        await pilot.press("shift+right")
        seen["spans selected"] = await _settle(pilot, app)
        await pilot.press("1")
        seen["spans marked"] = await _settle(pilot, app)
    async with _labeling(folders[3]) as (pilot, app):
        seen["write"] = await _settle(pilot, app)
        await pilot.press("ctrl+s")
        seen["write submitted"] = await _settle(pilot, app)
    async with _labeling(folders[4]) as (pilot, app):
        seen["binary"] = await _settle(pilot, app)
        await pilot.press("f1")
        seen["binary help"] = await _settle(pilot, app)
    async with _labeling(folders[5]) as (pilot, app):
        seen["rate"] = await _settle(pilot, app)
        await pilot.press("3")
        seen["rate scored"] = await _settle(pilot, app)
        await pilot.press("enter")
        seen["rate refused"] = await _settle(pilot, app)
        await pilot.press("f7")
        seen["my audits"] = await _settle(pilot, app, without="…")
        await pilot.press("escape")
        await pilot.press("ctrl+g")
        seen["guidelines"] = await _settle(pilot, app)
    async with _labeling(folders[6]) as (pilot, app):
        seen["image"] = await _settle(pilot, app, without="…")
        await pilot.press("9")
        seen["image not a label"] = await _settle(pilot, app)
    return seen


async def test_a_dutch_session_shows_no_english_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, "nl")
    seen = await _screens(tmp_path)
    content = seen.pop("content")
    english = {
        step: [piece for piece in _english_on(text) if piece not in content]
        for step, text in seen.items()
    }
    assert {step: found for step, found in english.items() if found} == {}
    # A string that bypassed the layer is not in the catalog: look for the interface's
    # English words instead (those of no Dutch translation), content words left out.
    ours = VOCABULARY - _words(content)
    words = {step: sorted(_words(text) & ours) for step, text in seen.items()}
    assert {step: found for step, found in words.items() if found} == {}
    # ... and Dutch is there: the help lists what keys do, the bar names them.
    assert "dit item overslaan" in _flat(seen["help"])
    assert "afsluiten" in seen["classify"] and "toetsen" in seen["classify"]
    assert "Dit item markeren" in seen["flag"]
    assert "Sessieoverzicht" in seen["summary"]
    assert "Je antwoorden in deze batch" in seen["history"]
    assert "geschudde volgorde" in _flat(seen["ranking untouched"])
    assert "Batchstatistieken" in seen["stats"] and "totaal" in seen["stats"]
    # Single words are too common to look for in the whole screen; in the key bar (the last
    # two lines) every word is the interface's, so no English one may be left there.
    bar_words = {
        word
        for m in tool.read_catalog(PO)
        if isinstance(m.id, str) and " " not in m.id
        for word in [m.id]
        if m.string and m.string != m.id and len(word) > 3
    }
    for step, text in seen.items():
        bar = set(re.findall(r"[a-z]+", " ".join(text.splitlines()[-2:])))
        assert bar & bar_words == set(), step


async def test_dutch_audit_review_and_adjudication_show_no_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The auditor's and the adjudicator's screens: verdict dialog, correction, the key bar,
    decisions, merge outcomes and answer kinds in Dutch."""
    from tests import test_adjudicate_screen as adjudicate
    from tests import test_audit_review as audit

    _use(monkeypatch, "nl")
    seen: dict[str, str] = {}
    content = ""
    folder = audit._batch(tmp_path / "audit")
    content += _content(folder)
    review, _clock = audit._app(folder)
    async with review.run_test(size=(110, 32)) as pilot:
        for step, key in [
            ("audit", None),
            ("audit fail", "f"),
            ("audit category", "1"),
            ("audit recorded", "enter"),
            ("audit pass", "p"),
            ("audit correct", "c"),
            ("audit back", "escape"),
            ("audit help", "f1"),
        ]:
            if key:
                await pilot.press(key)
            seen[step] = await _settle(pilot, review)  # type: ignore[arg-type]
    folder = adjudicate.make_team_batch(tmp_path / "adjudicate")
    content += _content(folder)
    app, _time = adjudicate._app(folder)
    async with app.run_test(size=(110, 32)) as pilot:
        for step, key in [
            ("adjudicate", None),
            ("adjudicate next", "o"),
            ("adjudicate pick", "1"),
            ("adjudicate back", "pageup"),
        ]:
            if key:
                await pilot.press(key)
            seen[step] = await _settle(pilot, app)  # type: ignore[arg-type]
    content = _flat(content)
    english = {
        step: [piece for piece in _english_on(text) if piece not in content]
        for step, text in seen.items()
    }
    assert {step: found for step, found in english.items() if found} == {}
    ours = VOCABULARY - _words(content)
    words = {step: sorted(_words(text) & ours) for step, text in seen.items()}
    assert {step: found for step, found in words.items() if found} == {}
    assert "welke fouten" in seen["audit fail"] and "beslist:" in seen["adjudicate back"]


async def test_the_same_session_in_english_is_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, "en")
    seen = await _screens(tmp_path)
    assert len(_words(seen["help"]) & VOCABULARY) > 20  # the vocabulary check can fail
    assert "skip this item" in _flat(seen["help"])
    assert "Flag this item" in seen["flag"]
    assert "Session summary" in seen["summary"]
    assert "Your answers in this batch" in seen["history"]
    assert "order as shuffled" in _flat(seen["ranking untouched"])
    assert "Batch statistics" in seen["stats"] and "total" in seen["stats"]
    assert "dit item overslaan" not in _flat(seen["help"])


def test_labeldesk_keys_in_dutch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    _use(monkeypatch, "nl")
    assert main(["keys", "--task-type", "compare"]) == 0
    out = _flat(capsys.readouterr().out)
    assert "dit item overslaan" in out and "A is beter" in out and "geen conflicten" in out
    assert "skip this item" not in out and "no conflicts" not in out
    assert main(["keys", "--task-type", "rate", "--json"]) == 0
    bindings = {b["id"]: b["description"] for b in json.loads(capsys.readouterr().out)["bindings"]}
    assert bindings["rate.score_3"] == "het geselecteerde criterium een 3 geven"
    _use(monkeypatch, "en")
    assert main(["keys", "--task-type", "rate", "--json"]) == 0
    bindings = {b["id"]: b["description"] for b in json.loads(capsys.readouterr().out)["bindings"]}
    assert bindings["rate.score_3"] == "give the selected criterion 3"
    assert main(["keys", "--task-type", "classify", "--json"]) == 0
    bindings = {b["id"]: b["description"] for b in json.loads(capsys.readouterr().out)["bindings"]}
    assert bindings["label.2"] == "choose / toggle label 2"


@pytest.mark.e2e
def test_the_real_command_speaks_dutch_from_lang(tmp_path: Path, terminal: TmuxTerminal) -> None:
    """LANG=nl_NL.UTF-8 and no config: the real labeldesk in a terminal is Dutch, the help
    too, the summary printed on exit as well, and the results file keeps its English ids."""
    folder = _sample(tmp_path, "classify-nl")
    terminal.env.update({"LABELDESK_LANGUAGE": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""})
    terminal.env["LANG"] = "nl_NL.UTF-8"
    terminal.start([str(LABELDESK), str(folder), "--annotator", "anna"], tmp_path)
    terminal.wait_for("item 1 van 26")
    terminal.keys("1")
    terminal.wait_for("opgeslagen")
    terminal.keys("F1")
    terminal.wait_for("dit item overslaan")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "dit item overslaan" not in s)
    terminal.keys("C-q")
    screen = terminal.wait_for("LABELDESK-EXIT=0")
    assert "Sessieoverzicht" in screen and "Session summary" not in screen
    [line] = read_results(folder / "results" / "anna.jsonl")
    assert line["answer"] == "accept" and line["value"]["labels"] == ["positief"]


def test_every_binding_has_a_translated_key_bar_word_and_description() -> None:
    """A new binding gets its key bar word (from its id) and its description into the
    catalog, or this fails: the Dutch key bar never shows an English word."""
    from task_types.registry import all_task_types
    from tui.core.keymap import MODAL_BINDINGS, build_keymap
    from tui.screens.item_screen import CONTEXT_HINT_WORDS, HINT_WORDS

    catalog = tool.read_catalog(PO)
    known = {(m.context, m.id) for m in catalog if m.id}
    missing = []
    for task_type in [None, *all_task_types().values()]:
        keymap = build_keymap(task_type, audit=True, adjudicate=True)
        for binding_id, description in keymap.descriptions.items():
            if (None, description) not in known:
                missing.append(f"{binding_id}: description {description!r}")
            # The overlays and the home screen have no key bar; label keys show their labels.
            if binding_id in CONTEXT_HINT_WORDS or binding_id in MODAL_BINDINGS:
                continue
            if binding_id.startswith("label."):
                continue
            word = HINT_WORDS.get(binding_id) or binding_id.split(".", 1)[1].replace("_", " ")
            word = re.sub(r"^(score|pick) \d+$", r"\1 {n}", word)
            if (None, word) not in known:
                missing.append(f"{binding_id}: key bar word {word!r}")
    assert sorted(set(missing)) == []


def test_nothing_is_translated_at_import_time() -> None:
    """Import-time tables use N_(): a _() at import would fix the language before the
    config is read (and before a test sets it)."""
    import subprocess

    code = (
        "import importlib, pkgutil, tui, task_types\n"
        "from tui.core import i18n\n"
        "for pkg in (tui, task_types):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print(i18n._translations is None)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"


# -- validation messages and the lead's commands -----------------------------------------------


def _pieces_of(*modules: str) -> list[str]:
    """The English pieces (as ENGLISH has them) of the msgids these source files mark."""
    catalog = tool.read_catalog(PO)
    wanted = set()
    for message in catalog:
        if message.id and any(path in modules for path, _line in message.locations):
            for msgid in tool.texts(message.id):
                for piece in re.split(r"\{[^{}]*\}|\n", msgid):
                    wanted.add(" ".join(piece.split()).strip(" .,:;·()—"))
    return [piece for piece in ENGLISH if piece in wanted]


VALIDATION_MODULES = (
    "tui/core/batch.py",
    "tui/core/batch_config.py",
    "tui/core/problems.py",
    "tui/core/pydantic_text.py",
    "tui/core/media/paths.py",
    "tui/core/task_registry.py",
    *(
        str(path.relative_to(REPO))
        for path in sorted((REPO / "task_types").rglob("*.py"))
        if path.name != "view.py"
    ),
)


def _prefixes(out: str) -> list[str]:
    """Each problem line's `severity: file:line: [field]` part, severity left out."""
    found = []
    for line in out.splitlines():
        match = re.match(r"^\w+: (\S+?:(?:\d+:)?(?: \[[^\]]+\])?) ", line)
        if match:
            found.append(match.group(1))
    return found


def _validate(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    folder: Path,
) -> str:
    from tui.cli import main

    _use(monkeypatch, language)
    main(["validate", str(folder)])
    return capsys.readouterr().out


def _bad_tasks_batch(tmp_path: Path) -> Path:
    folder = tmp_path / "slecht"
    folder.mkdir()
    (folder / "batch.toml").write_text('id = "slecht"\ntask_type = "compare"\n', encoding="utf-8")
    lines = [
        '{"id": "1", "prompt": "Welke is beter?", "responses": [{"id": "a", "text": "Ja"}]}',
        '{"id": "2", "responses": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]}',
        '{"id": "3", "prompt": 7, "responses": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}',
        "geen json",
        "[1, 2]",
        '{"id": "1", "prompt": "dubbel", "responses": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]}',
    ]
    (folder / "tasks.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_dutch_validate_names_the_same_places_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`labeldesk validate` on bad task lines: the same `file:line: [field]` prefixes in
    both languages, the messages (the task type's and pydantic's) in Dutch."""
    folder = _bad_tasks_batch(tmp_path)
    english = _validate(monkeypatch, capsys, "en", folder)
    dutch = _validate(monkeypatch, capsys, "nl", folder)
    tasks = f"{folder / 'tasks.jsonl'}"
    assert (
        _prefixes(english)
        == _prefixes(dutch)
        == [
            f"{tasks}:1: [responses]",
            f"{tasks}:2: [prompt]",
            f"{tasks}:3: [prompt]",
            f"{tasks}:4:",
            f"{tasks}:5:",
            f"{tasks}:6: [id]",
        ]
    )
    # English is as it was: pydantic's own text, the type's messages.
    assert "error: " in english and "Input should be a valid string (got 7)" in english
    assert "required field is missing" in english
    assert "not valid JSON at column 1: unexpected character, expected a JSON value" in english
    assert "a comparison needs at least two responses; this task has 1" in english
    flat = _flat(dutch)
    assert "fout: " in dutch and "error:" not in dutch
    assert "een vergelijking heeft minstens twee antwoorden nodig; deze taak heeft er 1" in flat
    assert "[prompt] verplicht veld ontbreekt" in flat
    assert "[prompt] moet een tekst (string) zijn (gevonden: 7)" in flat
    assert "verwacht een JSON-object, gevonden: list" in flat
    assert "geen geldige JSON in kolom 1: onverwacht teken, verwacht een JSON-waarde" in flat
    assert "dubbele taak-id '1' (eerst op regel 1)" in flat
    assert "6 taak/taken, 6 ongeldig, 6 fout(en), 0 waarschuwing(en)" in flat
    assert [p for p in _english_on(dutch) if p not in folder.name] == []
    assert "Input should" not in dutch


def test_dutch_pydantic_messages_of_a_bad_batch_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong type, a value out of range, a value not among the choices and a missing
    field in batch.toml: pydantic's messages by error type, in Dutch, the file's values as
    they are; the [task] table of the type too (too short, a validator's own message)."""
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "batch.toml").write_text(
        'title = "Recensies"\ntask_type = "classify"\ntarget_per_hour = "veel"\n'
        'min_seconds = -1\nlanguage = "fr"\n',
        encoding="utf-8",
    )
    (folder / "tasks.jsonl").write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    english = _validate(monkeypatch, capsys, "en", folder)
    dutch = _validate(monkeypatch, capsys, "nl", folder)
    assert _prefixes(english) == _prefixes(dutch) and len(_prefixes(dutch)) == 4
    config = folder / "batch.toml"
    assert (
        f"{config}: [id] required field is missing" in english
        and f"{config}:3: [target_per_hour] Input should be a valid integer, unable to parse "
        "string as an integer (got 'veel')"
        in english
    )
    assert f"fout: {config}: [id] verplicht veld ontbreekt" in dutch
    assert (
        f"fout: {config}:3: [target_per_hour] moet een geheel getal zijn; deze tekst is geen "
        "geheel getal (gevonden: 'veel')" in dutch
    )
    assert f"{config}:4: [min_seconds] moet groter dan of gelijk aan 0 zijn (gevonden: -1)" in dutch
    assert (
        f"{config}:5: [language] moet 'nl', 'en', 'nl-en' of 'en-nl' zijn (gevonden: 'fr')" in dutch
    )
    assert "2 probleem/problemen" not in dutch and "4 probleem/problemen" in dutch
    # The task type's options: a list too short, and a validator's message.
    (config).write_text('id = "b"\ntask_type = "classify"\n[task]\nlabels = []\n', encoding="utf-8")
    dutch = _validate(monkeypatch, capsys, "nl", folder)
    assert f"{config}:4: [task.labels] De lijst moet minstens 1 element bevatten, niet 0" in dutch
    config.write_text(
        'id = "b"\ntask_type = "classify"\n[task]\nlabels = ["goed", "goed"]\n', encoding="utf-8"
    )
    dutch = _validate(monkeypatch, capsys, "nl", folder)
    assert "[task.labels] ongeldige waarde: label 'goed' staat er twee keer in" in dutch
    english = _validate(monkeypatch, capsys, "en", folder)
    assert "[task.labels] Value error, label 'goed' is listed twice" in english


async def test_an_invalid_item_in_the_dutch_app_says_why_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app shows an invalid task line's problems (pydantic's and the task type's) in
    Dutch, with the field as the file names it."""
    _use(monkeypatch, "nl")
    folder = make_batch(
        tmp_path / "ongeldig",
        [
            {"id": "a", "text": 7},
            {"id": "b", "prompt": "geen tekst"},
            {
                "id": "c",
                "text": "Prima",
                "options": [{"id": 1, "text": "x"}, {"id": 1, "text": "y"}],
            },
        ],
    )
    wanted = [
        "[text] moet een tekst (string) zijn (gevonden: 7)",
        "[text] verplicht veld ontbreekt",
        "[options] de options van de taak herhalen een id",
    ]
    seen = []
    async with _labeling(folder) as (pilot, app):
        for want in wanted:
            text = ""
            for _wait in range(500):  # up to 10 s on a loaded machine: wait for the item
                text = _flat(await _settle(pilot, app))
                if want in text:
                    break
            seen.append(text)
            await pilot.press("space")  # skip it: the next item
    assert "Dit item is ongeldig" in seen[0]
    assert [want in text for want, text in zip(wanted, seen, strict=True)] == [True] * 3
    english = [piece for text in seen for piece in _english_on(text)]
    assert english == []


def test_toml_errors_of_batch_toml_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """tomllib's sentence and its position in Dutch; English as tomllib says it; a sentence
    not in the table keeps tomllib's English."""
    import tomllib

    from tui.core.toml_text import toml_error_text

    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "batch.toml").write_text('id = "b"\ntask_type = classify\n', encoding="utf-8")
    (folder / "tasks.jsonl").write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    config = folder / "batch.toml"
    english = _validate(monkeypatch, capsys, "en", folder)
    assert f"error: {config}:2: not valid TOML: Invalid value (at line 2, column 13)" in english
    dutch = _validate(monkeypatch, capsys, "nl", folder)
    assert f"fout: {config}:2: geen geldige TOML: ongeldige waarde (regel 2, kolom 13)" in dutch
    with pytest.raises(tomllib.TOMLDecodeError) as raised:
        tomllib.loads("[task\n")
    assert toml_error_text(raised.value) == (
        "verwacht ']' aan het eind van een tabelkop (regel 1, kolom 6)"
    )
    unknown = tomllib.TOMLDecodeError("Something new (at line 1, column 2)")
    assert toml_error_text(unknown) == "Something new (at line 1, column 2)"


def test_pydantic_messages_by_type_with_english_as_the_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import BaseModel, Field, HttpUrl, ValidationError

    from tui.core.pydantic_text import MESSAGES, error_message

    class Model(BaseModel):
        count: int = Field(ge=1)
        names: list[str] = Field(min_length=2)
        home: HttpUrl | None = None

    try:
        Model.model_validate({"count": 0, "names": ["a"], "home": "no url"})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    _use(monkeypatch, "en")
    assert [error_message(e) for e in errors] == [e["msg"] for e in errors]
    _use(monkeypatch, "nl")
    said = [error_message(e) for e in errors]
    assert said[0] == "moet groter dan of gelijk aan 1 zijn"
    assert said[1] == "De lijst moet minstens 2 elementen bevatten, niet 1"
    # url_parsing has no template: pydantic's English, not an empty or broken text.
    assert errors[2]["type"] not in MESSAGES and said[2] == errors[2]["msg"]
    # A refused answer in the app's status line: "[field] message", or pydantic's text.
    from task_types.compare.models import CompareAnswer
    from tui.core.pydantic_text import refusal_text

    try:
        CompareAnswer.model_validate({"shown_order": ["a", "b"], "seed": "x", "outcome": "win"})
    except ValidationError as exc:
        refused = exc
    _use(monkeypatch, "en")
    assert refusal_text(refused) == str(refused)
    _use(monkeypatch, "nl")
    assert refusal_text(refused) == (
        "[seed] moet een geheel getal zijn; deze tekst is geen geheel getal"
    )
    # Every template is in the catalog and translated (the catalog check covers it).
    for kind, template in MESSAGES.items():
        assert i18n._(template) != template, kind


def test_the_leads_commands_speak_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """export, import, merge and team (status, release): their messages in Dutch, the
    machine-readable output (JSONL, CSV, --json) as in English."""
    from tests.export_factory import batch_with_answers
    from tests.team_contract import team_batch
    from tui.cli import main

    modules = (
        "tui/commands/export.py",
        "tui/commands/import_data.py",
        "tui/commands/merge.py",
        "tui/commands/team.py",
        "tui/commands/team_db.py",
        "tui/core/team/status_text.py",
        "tui/core/problems.py",
        "tui/core/importing/build.py",
        "tui/core/importing/convert.py",
        "tui/core/importing/sources.py",
        "tui/core/export/formats.py",
        "tui/core/export/records.py",
        "tui/core/merge/merge.py",
        "tui/core/result_lines.py",
    )
    english_pieces = _pieces_of(*modules)
    assert len(english_pieces) > 15  # the check below can fail
    folder = batch_with_answers(tmp_path, "classify", "nl")
    said: dict[str, str] = {}
    data: dict[str, str] = {}
    for language in ("en", "nl"):
        _use(monkeypatch, language)
        assert main(["export", str(folder), "--format", "csv"]) == 0
        data[f"export {language}"], said[f"export {language}"] = capsys.readouterr()
        assert main(["export", str(folder), "--format", "parquet"]) == 2
        said[f"export refused {language}"] = capsys.readouterr().err
        assert main(["merge", str(folder)]) == 0
        data[f"merge {language}"], said[f"merge {language}"] = capsys.readouterr()
        source = tmp_path / "import.csv"
        source.write_text("id,text\n1,Goed\n1,Dubbel\n", encoding="utf-8")
        target = tmp_path / f"import-{language}"
        assert (
            main(
                [
                    "import",
                    str(source),
                    "-f",
                    "csv",
                    "-t",
                    "classify",
                    "-o",
                    str(target),
                    "--labels",
                    "goed,slecht",
                ]
            )
            == 0
        )
        said[f"import {language}"] = capsys.readouterr().err
        # Rows without an id get their position as id: the same ids in every language.
        source.write_text("text\nGoed\nSlecht\n", encoding="utf-8")
        target = tmp_path / f"import-no-ids-{language}"
        assert main(["import", str(source), "-f", "csv", "-t", "classify", "-o", str(target)]) == 1
        said[f"import refused {language}"] = capsys.readouterr().err
        assert main(["import", str(source), "-f", "csv", "-t", "binary", "-o", str(target)]) == 0
        capsys.readouterr()
        ids = [json.loads(line)["id"] for line in (target / "tasks.jsonl").read_text().splitlines()]
        assert ids == ["line-2", "line-3"], language
        team = team_batch(tmp_path / f"team-{language}", 3, "claim_size = 1")
        assert main(["team", "status", str(team)]) == 0
        said[f"team status {language}"] = capsys.readouterr().out
        assert main(["team", "status", str(team), "--json"]) == 0
        data[f"team json {language}"] = capsys.readouterr().out
        assert main(["team", "release", str(team), "--annotator", "anna"]) == 0
        said[f"team release {language}"] = capsys.readouterr().out
        monkeypatch.delenv("LABELDESK_DB", raising=False)
        assert main(["team", "push", str(team)]) == 2
        said[f"team push {language}"] = capsys.readouterr().err
    # English as it was.
    assert re.search(r"^exported \d+ answers to stdout, 2 withdrawn", said["export en"])
    assert "task(s) merged to stdout" in said["merge en"]
    assert "imported 1 task(s) into" in said["import en"] and "error: " in said["import en"]
    assert "released 0 live claim(s) of anna" in said["team release en"]
    # Dutch.
    assert re.search(r"\d+ antwoorden geëxporteerd naar stdout", said["export nl"])
    assert "ingetrokken (ongedaan gemaakte) antwoord(en) niet geëxporteerd" in said["export nl"]
    assert "is binair: geef -o BESTAND" in said["export refused nl"]
    assert "taak/taken samengevoegd naar stdout" in said["merge nl"]
    assert "unaniem" in said["merge nl"] or "enkel" in said["merge nl"]
    assert "1 taak/taken geïmporteerd in" in said["import nl"] and "fout: " in said["import nl"]
    assert "1 rij(en) of bestandsprobleem/-problemen niet geïmporteerd" in said["import nl"]
    assert (
        "import.csv: regel 3: niet geïmporteerd: taak-id '1' nog eens (eerst bij regel 2)"
        in said["import nl"]
    )
    assert "regel 2: niet geïmporteerd: geen labels om uit te kiezen" in said["import refused nl"]
    assert "line 2: not imported: no labels to choose from" in said["import refused en"]
    assert "pool over" in said["team status nl"] or "pool" in said["team status nl"]
    assert "0 actieve claim(s) van anna vrijgegeven" in said["team release nl"]
    assert "labeldesk team push: give the database with --db URL" in said["team push en"]
    assert "labeldesk team push: geef de database op met --db URL" in said["team push nl"]
    english = {
        step: [piece for piece in english_pieces if piece in _flat(text)]
        for step, text in said.items()
        if step.endswith(" nl")
    }
    assert {step: found for step, found in english.items() if found} == {}
    # Machine-readable output does not change with the language.
    assert data["export en"] == data["export nl"]
    assert data["merge en"] == data["merge nl"]
    json_en = json.loads(data["team json en"])
    json_nl = json.loads(data["team json nl"])
    assert json_en.keys() == json_nl.keys() and json_nl["tasks"] == 3


def test_the_audit_lead_commands_speak_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """audit assign (and its refusal), agreement: Dutch text, the JSON as in English."""
    from tests.export_factory import batch_with_answers
    from tui.cli import main

    english_pieces = _pieces_of(
        "tui/commands/audit.py",
        "tui/core/audit/plan.py",
        "tui/core/audit/inputs.py",
        "tui/core/audit/agreement.py",
        "tui/core/audit/render.py",
    )
    said: dict[str, str] = {}
    data: dict[str, str] = {}
    for language in ("en", "nl"):
        _use(monkeypatch, language)
        folder = batch_with_answers(tmp_path / language, "classify", "nl")
        assert main(["audit", "assign", str(folder), "--auditor", "eve", "--rate", "10%"]) == 0
        said[f"assign {language}"] = capsys.readouterr().out
        assert main(["audit", "assign", str(folder), "--auditor", "eve", "--rate", "10%"]) == 2
        said[f"again {language}"] = capsys.readouterr().err
        assert main(["audit", "assign", str(folder), "--auditor", "eve", "--rate", "x"]) == 2
        said[f"bad rate {language}"] = capsys.readouterr().err
        assert main(["audit", "agreement", str(folder)]) == 0
        said[f"agreement {language}"] = capsys.readouterr().out
        assert main(["audit", "agreement", str(folder), "--json"]) == 0
        data[f"agreement {language}"] = capsys.readouterr().out
    assert "eve already has an audit plan here" in said["again en"]
    assert "(all labels)" in said["agreement en"]
    assert "fout: " in said["again nl"] and "eve heeft hier al een auditplan" in said["again nl"]
    assert "--rate verwacht een percentage zoals 10%" in said["bad rate nl"]
    assert "(alle labels)" in said["agreement nl"] and "(all labels)" not in said["agreement nl"]
    english = {
        step: [piece for piece in english_pieces if piece in _flat(text)]
        for step, text in said.items()
        if step.endswith(" nl")
    }
    assert {step: found for step, found in english.items() if found} == {}
    assert json.loads(data["agreement en"]) == json.loads(data["agreement nl"])


def test_no_function_hides_the_translation_function() -> None:
    """`_` as a throwaway name inside a function of a module that imports `_` from i18n
    makes every `_()` in that function fail (UnboundLocalError) — on error paths only."""
    import ast

    offenders = []
    for path in sorted([*(REPO / "tui").rglob("*.py"), *(REPO / "task_types").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "tui.core.i18n"
            and any(alias.name == "_" and alias.asname is None for alias in node.names)
            for node in ast.walk(tree)
        )
        if not imports:
            continue
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            calls = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                for n in ast.walk(function)
            )
            # Comprehensions have their own scope: a `_` there hides nothing outside.
            inner = {
                id(n)
                for c in ast.walk(function)
                if isinstance(c, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
                for n in ast.walk(c)
            }
            stores = [
                n
                for n in ast.walk(function)
                if isinstance(n, ast.Name)
                and n.id == "_"
                and isinstance(n.ctx, ast.Store)
                and id(n) not in inner
            ]
            if calls and stores:
                offenders.append(f"{path.relative_to(REPO)}:{stores[0].lineno}")
    assert offenders == []


# -- stats, held claims and refused files --------------------------------------------------------


@pytest.mark.parametrize("columnar", [False, True])
def test_stats_problems_of_bad_lines_in_dutch(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    columnar: bool,
) -> None:
    """The same `file:line: [field]` places in both languages, the message after them Dutch;
    field names and the values found stay as they are. Both stats paths say the same."""
    from tui.cli import main
    from tui.core.stats import compute_stats
    from tui.core.stats.render import problem_lines

    good = {
        "task_id": "t1",
        "annotator": "anna",
        "batch_id": "b1",
        "answer": "accept",
        "active_ms": 1200,
        "submitted_at": "2026-11-22T10:00:03.240Z",
        "value": None,
    }
    results = tmp_path / "results.jsonl"
    lines = [
        json.dumps(good),
        json.dumps({**good, "task_id": "t2", "answer": "maybe"}),
        json.dumps({**good, "task_id": "t3", "submitted_at": "gisteren"}),
        "{not json",
    ]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    said: dict[str, list[str]] = {}
    for language in ("en", "nl"):
        _use(monkeypatch, language)
        said[language] = problem_lines(compute_stats([results], columnar=columnar))
    english, dutch = said["en"], said["nl"]
    assert len(english) == len(dutch) == 4, (english, dutch)  # three problems, then the count
    where = [f"{results}:2: [answer] ", f"{results}:3: [submitted_at] ", f"{results}:4: "]
    for place, en_line, nl_line in zip(where, english, dutch, strict=False):
        assert en_line.startswith(place) and nl_line.startswith(place), (en_line, nl_line)
    assert (
        english[0] == f"{where[0]}expected one of accept, reject, skip, flag, undone, got 'maybe'"
    )
    assert (
        dutch[0]
        == f"{where[0]}verwacht een van accept, reject, skip, flag, undone, gevonden: 'maybe'"
    )
    assert dutch[1] == (
        f"{where[1]}verwacht een ISO 8601-datum-tijd zoals 2026-11-22T10:00:03.240Z, "
        "gevonden: 'gisteren'"
    )
    assert dutch[2].startswith(f"{where[2]}geen geldige JSON: ")
    assert "regels" in dutch[3] and "lines" in english[3]
    # The command prints the same Dutch lines.
    _use(monkeypatch, "nl")
    main(["stats", str(results)])
    out, err = capsys.readouterr()
    assert dutch[0] in out + err


def test_a_symlinked_results_file_is_refused_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from tui.core.safe_files import UnsafeFileError, open_regular

    target = tmp_path / "elsewhere.jsonl"
    target.write_text("", encoding="utf-8")
    link = tmp_path / "results.jsonl"
    link.symlink_to(target)
    said: dict[str, str] = {}
    for language in ("en", "nl"):
        _use(monkeypatch, language)
        with pytest.raises(UnsafeFileError) as refused:
            open_regular(link, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        said[language] = str(refused.value)
    assert said["en"] == (
        f"{link} is a symbolic link (to {target}), not a file of labeldesk's own; it is refused "
        "and its target is left untouched (someone with write access to this folder put it "
        "there: remove it, or choose another folder)"
    )
    assert said["nl"].startswith(
        f"{link} is een symbolische link (naar {target}), geen bestand van labeldesk zelf; "
        "de link is geweigerd"
    ), said["nl"]
    assert target.read_text(encoding="utf-8") == ""


def test_a_garbled_held_claims_record_is_a_dutch_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.problems import Problem
    from tui.core.team.pg.held_record import HeldRecord

    record = HeldRecord(tmp_path, "b1", "anna")
    said: dict[str, str] = {}
    for content in (b'{"version": 1, "claims": {"t2": 2e9', b'{"version": 7}'):
        record.path.write_bytes(content)
        for language in ("en", "nl"):
            _use(monkeypatch, language)
            problems: list[Problem] = []
            assert record.load(problems) == {}
            assert len(problems) == 1, problems
            said[language] = str(problems[0])
        assert said["en"].startswith(f"{record.path}: the record of claims held ")
        assert said["en"].endswith(
            "; ignored: claims held before are not offered offline (answers are not affected)"
        )
        assert said["nl"].startswith(f"{record.path}: het register van vastgehouden claims ")
        assert said["nl"].endswith(
            "; genegeerd: eerder vastgehouden claims worden niet offline aangeboden "
            "(antwoorden blijven onaangetast)"
        ), said["nl"]
    assert "heeft versie 7, verwacht 1" in said["nl"] and "has version 7, expected 1" in said["en"]
