"""Every key path of the labeling screen, through Pilot (binary and classify views)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.batch_factory import make_batch, read_results, texts
from tests.screen_text import screen_text, status_text
from tui.app import LabelDeskApp
from tui.launch import prepare
from tui.screens.flag import FlagScreen
from tui.screens.guidelines import GuidelinesScreen
from tui.screens.help import HelpScreen
from tui.screens.labeling import LabelingScreen


def _app(folder: Path, **kw: Any) -> LabelDeskApp:
    p = prepare(folder, annotator="anna", **kw)
    return LabelDeskApp(p.session, p.keymap)


def _lines(folder: Path) -> list[dict[str, Any]]:
    return read_results(folder / "results" / "anna.jsonl")


async def test_single_label_one_key_answers_and_advances(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LabelingScreen)
        assert screen.session.position == 1
        assert "saved t0" in status_text(app)
        await pilot.press("1")
    app.session.store.close()
    assert [(x["task_id"], x["value"]) for x in _lines(folder)] == [
        ("t0", {"labels": ["neg"]}),
        ("t1", {"labels": ["pos"]}),
    ]


async def test_multi_label_toggle_submit_and_refusal(tmp_path: Path) -> None:
    folder = make_batch(
        tmp_path / "b", texts(2), task={"labels": ["a1", "b2", "c3"], "multi": True}
    )
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # nothing chosen: refused
        screen = app.screen
        assert isinstance(screen, LabelingScreen)
        assert "choose at least one" in status_text(app)
        await pilot.press("1", "3", "3", "3", "delete", "2", "3", "enter")
        await pilot.pause()
        assert screen.session.position == 1
    app.session.store.close()
    assert _lines(folder)[0]["value"] == {"labels": ["b2", "c3"]}


async def test_binary_accept_reject(tmp_path: Path) -> None:
    tasks = [{"id": f"b{i}", "text": f"text {i}", "label": "INSULT"} for i in range(3)]
    folder = make_batch(tmp_path / "b", tasks, task_type="binary", task={})
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert "press a to accept" in status_text(app)
        await pilot.press("a", "x")
    app.session.store.close()
    lines = _lines(folder)
    assert [(x["answer"], x["value"]) for x in lines] == [
        ("accept", {"label": "INSULT", "accept": True}),
        ("reject", {"label": "INSULT", "accept": False}),
    ]


async def test_skip_undo_back_forward(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(4))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        s = app.session
        await pilot.press("1", "space")
        assert s.position == 2
        await pilot.press("backspace")  # undo the skip
        assert s.position == 1
        await pilot.press("3")
        await pilot.press("pageup", "pageup")
        assert s.position == 0
        await pilot.press("pageup")
        assert "first item" in status_text(app)
        await pilot.press("pagedown", "right_square_bracket")
        assert s.position == 2
        await pilot.press("pagedown")  # unanswered: stays
        assert s.position == 2
        await pilot.press("left_square_bracket", "2")  # change item 1
        assert s.position == 2
    app.session.store.close()
    assert [(x["task_id"], x["answer"]) for x in _lines(folder)] == [
        ("t0", "accept"),
        ("t1", "skip"),
        ("t1", "undone"),
        ("t1", "accept"),
        ("t1", "accept"),
    ]
    assert _lines(folder)[-1]["value"] == {"labels": ["neg"]}


async def test_flag_with_reason_and_note(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, FlagScreen)
        await pilot.press("2")
        await pilot.press(*"unclear")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LabelingScreen)
        assert "noted" in status_text(app)  # the flag waits for the answer
        assert not (folder / "results" / "anna.jsonl").read_bytes()
        await pilot.press("space")  # no answer: the flag alone is saved
        await pilot.pause()
        await pilot.press("ctrl+f", "escape")  # cancel: nothing written
        await pilot.pause()
        assert isinstance(app.screen, LabelingScreen)
    app.session.store.close()
    lines = _lines(folder)
    assert len(lines) == 1
    assert lines[0]["answer"] == "flag" and lines[0]["flag"] == {
        "reason": "guidelines",
        "note": "unclear",
    }


async def test_guidelines_and_help_overlays(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2), guidelines="# Richtlijnen\n\nLees dit goed.\n")
    app = _app(folder)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, GuidelinesScreen)
        await pilot.press("down", "escape")
        assert isinstance(app.screen, LabelingScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shot = screen_text(app)
        for text in ("app.undo", "label.1", "classify.clear", "Ctrl+q"):
            assert text in shot
        assert "label.4" not in shot  # only the labels this item has
        await pilot.press("escape")
        assert isinstance(app.screen, LabelingScreen)
        await pilot.press("1")
    app.session.store.close()
    assert len(_lines(folder)) == 1  # the overlays' keys answered nothing


async def test_no_guidelines_is_said(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2), guidelines=None)
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        assert "no guidelines" in status_text(app)
    app.session.store.close()


async def test_markup_and_control_sequences_are_shown_literally(tmp_path: Path) -> None:
    tasks = [{"id": "m", "text": "[bold red]not bold[/] \x1b[2J and \x07 bell"}]
    folder = make_batch(tmp_path / "b", tasks)
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shot = screen_text(app)
        assert "[bold red]not bold[/]" in shot
        assert "\x1b[2J" not in shot and "␛[2J" in shot and "␇" in shot
    app.session.store.close()


async def test_sensitive_items_hidden_until_revealed(tmp_path: Path) -> None:
    tasks = [
        {"id": "s1", "text": "SECRET WORDS", "meta": {"sensitive": True}},
        {"id": "s2", "text": "open"},
    ]
    folder = make_batch(tmp_path / "b", tasks)
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "SECRET WORDS" not in screen_text(app)
        await pilot.press("1")  # no view: label keys do nothing
        assert app.session.position == 0
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "SECRET WORDS" in screen_text(app)
        await pilot.press("1")
        assert app.session.position == 1
    app.session.store.close()


async def test_invalid_item_is_shown_and_can_be_skipped(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": "ok0", "text": "fine"}])
    with (folder / "tasks.jsonl").open("a") as fh:
        fh.write('{"id": "bad", "txt": "typo"}\n{"id": "ok1", "text": "fine too"}\n')
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        shot = screen_text(app)
        assert "invalid" in shot and "tasks.jsonl:2" in shot and "text" in shot
        await pilot.press("1")  # refused: nothing to label
        assert app.session.position == 1
        await pilot.press("space")
        assert app.session.position == 2
    app.session.store.close()
    assert [x["answer"] for x in _lines(folder)] == ["accept", "skip"]


async def test_done_screen_and_quit(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(1))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert "All 1 items are answered" in screen_text(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    app.session.store.close()


async def test_batch_keymap_override_applies(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3), extra='[keymap]\napp.skip = "s"\n')
    app = _app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        assert app.session.position == 0
        await pilot.press("s")
        assert app.session.position == 1
    app.session.store.close()


async def test_scrolling_a_long_text(tmp_path: Path) -> None:
    long_text = "\n".join(f"regel {i}" for i in range(200))
    folder = make_batch(tmp_path / "b", [{"id": "long", "text": long_text}])
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "regel 0 " in screen_text(app) and "regel 45 " not in screen_text(app)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        await pilot.pause()
        assert "regel 0 " not in screen_text(app) and "regel 45 " in screen_text(app)
        await pilot.press("ctrl+up", "ctrl+up", "ctrl+up")
        await pilot.pause()
        assert "regel 0 " in screen_text(app)
    app.session.store.close()


async def test_wide_terminal_and_long_text(tmp_path: Path) -> None:
    long_text = " ".join(f"woord{i}" for i in range(3000))
    folder = make_batch(
        tmp_path / "b", [{"id": "long", "text": long_text}, {"id": "n", "text": "x"}]
    )
    app = _app(folder)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        assert app.session.position == 1
    app.session.store.close()


async def test_live_kpis_summary_and_stats(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(4), target_per_hour=120)
    app = _app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1", "2")
        await pilot.pause()
        assert "2/4" in screen_text(app)
        await pilot.press("f5")
        from tui.screens.summary import StatsScreen, SummaryScreen

        assert isinstance(app.screen, SummaryScreen)
        assert "slowest" in screen_text(app).lower()
        await pilot.press("escape", "f6")
        assert isinstance(app.screen, StatsScreen)
        for _ in range(50):  # the figures are computed in a worker
            await pilot.pause(0.1)
            if "anna" in screen_text(app):
                break
        assert "anna" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, LabelingScreen)
    app.session.store.close()


async def test_problem_texts_with_markup_do_not_break_notifications(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2), extra='[keymap]\n"app.sk[/]ip" = "s"\n')
    app = _app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app.notices]
        assert any("unknown binding id 'app.sk[/]ip'" in m for m in messages)
        await pilot.press("1")
        assert app.session.position == 1
    app.session.store.close()


async def test_tasks_appended_while_open_are_picked_up(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(1))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause(0.5)  # let the file watcher start
        assert app.session.done
        with (folder / "tasks.jsonl").open("a") as fh:
            fh.write('{"id": "late", "text": "arrived later"}\n')
        for _ in range(60):
            await pilot.pause(0.1)
            if "arrived later" in screen_text(app):
                break
        assert "arrived later" in screen_text(app)
        assert not app.session.done and app.session.current().task_id == "late"
    app.session.store.close()


async def test_a_flag_before_the_answer_is_saved_with_it(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("exclamation_mark", "1", *"twijfel", "enter")
        await pilot.pause()
        await pilot.press("2")  # the answer: one line carries both
        await pilot.pause()
        assert "⚑ ambiguous" in status_text(app)
        await pilot.press("1")  # the next item: no flag left over
        await pilot.pause()
    app.session.store.close()
    first, second = _lines(folder)
    assert first["answer"] == "accept" and first["value"] == {"labels": ["neg"]}
    assert first["flag"] == {"reason": "ambiguous", "note": "twijfel"}
    assert second["flag"] is None


async def test_a_flag_on_an_answered_item_is_added_to_its_answer(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("pageup")  # back to the answered item
        await pilot.pause()
        await pilot.press("exclamation_mark", "2", "enter")
        await pilot.pause()
    app.session.store.close()
    first, again = _lines(folder)
    assert again["task_id"] == first["task_id"] == "t0"
    assert again["answer"] == "accept" and again["value"] == {"labels": ["neu"]}
    assert again["flag"] == {"reason": "guidelines", "note": ""}
    assert again["revision"] == 2


async def test_every_answer_records_how_long_its_item_was_on_screen(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("1", "2")
        await pilot.pause()
    app.session.store.close()
    first, second = _lines(folder)
    assert first["shown_ms"] >= 150  # painted, then looked at for the pause
    assert second["shown_ms"] >= 0


async def test_a_hidden_item_says_how_to_reveal_it_on_a_label_key_and_in_the_key_bar(
    tmp_path: Path,
) -> None:
    folder = make_batch(tmp_path / "b", texts(2), sensitive=True)
    app = _app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "Ctrl+r" in status_text(app) and "reveal" in status_text(app)
        assert "Ctrl+r  reveal" in text.splitlines()[-2] + text.splitlines()[-1]
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert "Ctrl+q" in status_text(app)
    app.session.store.close()
    assert not (folder / "results" / "anna.jsonl").read_bytes()
