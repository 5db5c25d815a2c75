"""The app's own lines (status, notifications) are hostile-input safe, and a save into a
file that is gone is said as NOT SAVED, never as saved (issue 11, the UI side)."""

from __future__ import annotations

from pathlib import Path

from tests.batch_factory import make_batch
from tests.screen_text import status_text
from tui.app import LabelDeskApp
from tui.launch import prepare
from tui.screens.labeling import LabelingScreen

OSC52 = "\x1b]52;c;ZXZpbA==\x07"


def _status(app: LabelDeskApp) -> str:
    assert isinstance(app.screen, LabelingScreen)
    return status_text(app)  # type: ignore[arg-type]


async def test_a_task_id_with_escape_sequences_never_reaches_the_status_raw(
    tmp_path: Path,
) -> None:
    tasks = [{"id": f"t{OSC52}\x9b2J", "text": "een"}, {"id": "t2", "text": "twee"}]
    folder = make_batch(tmp_path / "b", tasks)
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        status = _status(app)
        assert "saved" in status
        assert "\x1b" not in status and "\x07" not in status and "\x9b" not in status
    app.session.store.close()


async def test_notifications_pass_the_sanitizer(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": "t1", "text": "een"}])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify(f"bad line {OSC52}", title="\x1b[2J")
        await pilot.pause()
        [note] = list(app.notices)
        assert "\x1b" not in note.message and "\x07" not in note.message
        assert "\x1b" not in note.title
    app.session.store.close()


async def test_a_removed_results_file_is_said_not_saved(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": f"t{n}", "text": "x"} for n in range(3)])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        (folder / "results" / "anna.jsonl").unlink()
        await pilot.press("2")
        await pilot.pause()
        status = _status(app)
        assert "NOT SAVED" in status and "✓" not in status
        assert "press again" not in status  # pressing again cannot help here
        assert app.session.position == 1  # the item stays: nothing moved on
    app.session.store.close()


async def test_changed_guidelines_are_said_while_labeling(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": f"t{n}", "text": "x"} for n in range(3)])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        (folder / "guidelines.md").write_text("# New rules\n\nEverything changed.\n")
        for _ in range(30):  # the screen looks once a second
            await pilot.pause(0.1)
            if any("guidelines changed" in n.message for n in app.notices):
                break
        assert any("guidelines changed" in n.message for n in app.notices)
    app.session.store.close()


async def test_a_replaced_tasks_file_is_said(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", [{"id": f"t{n}", "text": "x"} for n in range(3)])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)  # the watcher is running
        new = folder / "tasks.new"
        new.write_text('{"id": "n1", "text": "nieuw"}\n')
        new.replace(folder / "tasks.jsonl")  # as a sync tool writes it
        for _ in range(50):
            await pilot.pause(0.1)
            if any("replaced" in n.message for n in app.notices):
                break
        assert any("was replaced" in n.message for n in app.notices)
    app.session.store.close()


async def test_every_painted_line_passes_the_sanitizer_even_from_a_widget_that_forgot(
    tmp_path: Path,
) -> None:
    """The app's last line of defence (a line filter on everything painted): a widget that
    shows a file's text without tui.core.safe_text still puts no control sequence on the
    terminal, and the line keeps its width."""
    from rich.text import Text
    from textual.geometry import Region
    from textual.widgets import Static

    folder = make_batch(tmp_path / "b", [{"id": "t1", "text": "een"}])
    p = prepare(folder, annotator="anna")
    app = LabelDeskApp(p.session, p.keymap)
    raw = f"a{OSC52}b\x9b2J\u202ec"
    async with app.run_test(size=(80, 24)) as pilot:
        widget = Static(Text(raw), id="careless")
        await app.screen.mount(widget)
        await pilot.pause()
        strips = widget.render_lines(Region(0, 0, widget.size.width, 1))
        painted = "".join(text for text, _, control in strips[0] if not control)
        for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert bad not in painted, repr(painted)
        assert painted.startswith("a␛]52;")
        assert strips[0].cell_length == widget.size.width
    app.session.store.close()
