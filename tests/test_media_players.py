"""External viewer choice and background audio playback, with fake programs on a tmp PATH
(there is no display or audio device here) and, for the pipe player, the real ffmpeg."""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from tui.core.media.errors import MediaError
from tui.core.media.playback import NO_PLAYER_NOTICE, AudioPlayer, player_command
from tui.core.media.viewer import launch_detached, plan_viewer


def fake_program(bin_dir: Path, name: str, body: str = "exec /bin/sleep 30") -> Path:
    """An executable that records its arguments (one per line) in $FAKE_LOG/<name>.args."""
    bin_dir.mkdir(exist_ok=True)
    prog = bin_dir / name
    prog.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > "$FAKE_LOG/{name}.args.part"\n'
        f'/bin/mv "$FAKE_LOG/{name}.args.part" "$FAKE_LOG/{name}.args"\n{body}\n',
        encoding="utf-8",
    )
    prog.chmod(prog.stat().st_mode | stat.S_IXUSR)
    return prog


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "log"
    log.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_LOG", str(log))
    return bin_dir


def wait_for(path: Path, deadline_s: float = 10.0) -> bytes:
    # Synchronisation with a child process, not a timing assertion.
    end = time.monotonic() + deadline_s
    while not path.exists():
        if time.monotonic() > end:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.01)
    return path.read_bytes()


REAL_FFMPEG = shutil.which("ffmpeg")
MEDIA = Path("/batch/media/a clip.mp4")
DISPLAY = {"DISPLAY": ":0"}


def test_graphical_viewer_only_with_display(fake_bin: Path) -> None:
    fake_program(fake_bin, "mpv")
    fake_program(fake_bin, "timg")
    plan = plan_viewer(MEDIA, "video", start_s=12.5, env=DISPLAY)
    assert plan.detached and not plan.suspend and plan.program == "mpv"
    assert plan.argv == (str(fake_bin / "mpv"), "--start=12.5", str(MEDIA))
    plan = plan_viewer(MEDIA, "video", env={"WAYLAND_DISPLAY": "wayland-0"})
    assert plan.detached
    plan = plan_viewer(MEDIA, "video", env={})
    assert plan.suspend and not plan.detached and plan.program == "mpv"
    assert "--vo=tct" in plan.argv


def test_terminal_image_viewer_pauses_before_returning(fake_bin: Path) -> None:
    fake_program(fake_bin, "chafa")
    plan = plan_viewer(MEDIA, "image", env={})
    assert plan.suspend and plan.program == "chafa"
    assert plan.argv[:2] == ("sh", "-c") and plan.argv[-2:] == (str(fake_bin / "chafa"), str(MEDIA))


def test_audio_without_display_falls_back_to_ffplay(fake_bin: Path) -> None:
    fake_program(fake_bin, "ffplay")
    plan = plan_viewer(MEDIA, "audio", start_s=3, env={})
    assert plan.program == "ffplay" and plan.suspend
    assert plan.argv[-3:] == ("-ss", "3", str(MEDIA))


def test_no_viewer_says_which_file_and_what_to_install(fake_bin: Path) -> None:
    plan = plan_viewer(MEDIA, "image", env={})
    assert not plan.ok and not plan.detached and not plan.suspend
    assert str(MEDIA) in plan.message and "no display" in plan.message
    assert "chafa, timg, viu" in plan.message


def test_display_without_graphical_viewer_uses_terminal_one(fake_bin: Path) -> None:
    fake_program(fake_bin, "viu")
    plan = plan_viewer(MEDIA, "image", env=DISPLAY)
    assert plan.program == "viu" and plan.suspend


def test_configured_template_wins(fake_bin: Path) -> None:
    fake_program(fake_bin, "myview")
    fake_program(fake_bin, "feh")
    templates = {"image": "myview --at {start} {path}", "video": "absent-player {path}"}
    plan = plan_viewer(MEDIA, "image", templates=templates, start_s=2, env=DISPLAY)
    assert plan.argv == (str(fake_bin / "myview"), "--at", "2", str(MEDIA)) and plan.detached
    plan = plan_viewer(MEDIA, "image", templates={"image": "myview"}, env={})
    assert plan.argv[-1] == str(MEDIA) and plan.suspend
    plan = plan_viewer(MEDIA, "video", templates=templates, env=DISPLAY)
    assert not plan.ok and "'absent-player' is not on PATH" in plan.message
    plan = plan_viewer(MEDIA, "image", templates={"image": "myview 'unclosed"}, env=DISPLAY)
    assert not plan.ok and "malformed" in plan.message


def test_launch_detached_runs_in_own_session(fake_bin: Path, tmp_path: Path) -> None:
    prog = fake_program(fake_bin, "feh", body="echo noise; echo more >&2; exec /bin/sleep 30")
    proc = launch_detached([str(prog), "x.png"])
    try:
        assert wait_for(tmp_path / "log" / "feh.args") == b"x.png\n"
        assert os.getsid(proc.pid) == proc.pid != os.getsid(0)
    finally:
        proc.kill()
        proc.wait()


# -- playback -----------------------------------------------------------------------------


def test_no_player_is_reported(fake_bin: Path, tmp_path: Path) -> None:
    song = tmp_path / "song.wav"
    song.write_bytes(b"RIFF")
    assert player_command(song) is None
    with pytest.raises(MediaError, match="cannot be played: no audio player found") as caught:
        AudioPlayer().start(song)
    assert NO_PLAYER_NOTICE in caught.value.message and caught.value.file == song


def test_player_preference(fake_bin: Path, tmp_path: Path) -> None:
    song = tmp_path / "song.wav"
    fake_program(fake_bin, "aplay")
    assert player_command(song) is None  # aplay needs ffmpeg to decode for it
    fake_program(fake_bin, "ffmpeg")
    assert player_command(song).name == "aplay"  # type: ignore[union-attr]
    fake_program(fake_bin, "paplay")
    assert player_command(song).name == "paplay"  # type: ignore[union-attr]
    fake_program(fake_bin, "mpv")
    assert player_command(song).name == "mpv"  # type: ignore[union-attr]
    fake_program(fake_bin, "ffplay")
    cmd = player_command(song, start_s=1.25)
    assert cmd is not None and cmd.name == "ffplay" and not cmd.decoder
    assert cmd.argv[1:] == ("-nodisp", "-autoexit", "-loglevel", "error", "-ss", "1.250", str(song))


def test_play_position_and_stop(fake_bin: Path, tmp_path: Path) -> None:
    song = tmp_path / "song.wav"
    song.write_bytes(b"RIFF")
    fake_program(fake_bin, "ffplay")
    now = [100.0]
    player = AudioPlayer(clock=lambda: now[0])
    assert player.position_s() is None and not player.is_playing
    assert player.start(song, start_s=5.0, duration_s=8.0) == "ffplay"
    args = wait_for(tmp_path / "log" / "ffplay.args").decode().splitlines()
    assert args[-3:] == ["-ss", "5.000", str(song)]
    assert player.is_playing
    now[0] += 2.0
    assert player.position_s() == pytest.approx(7.0)
    now[0] += 10.0
    assert player.position_s() == pytest.approx(8.0)  # clamped to the duration
    player.stop()
    assert not player.is_playing and player.failure() is None
    now[0] += 5.0
    assert player.position_s() == pytest.approx(8.0)
    player.stop()


def test_player_failure_is_reported(fake_bin: Path, tmp_path: Path) -> None:
    song = tmp_path / "song.wav"
    song.write_bytes(b"RIFF")
    fake_program(fake_bin, "ffplay", body='echo "SDL: no audio device" >&2; exit 1')
    player = AudioPlayer()
    player.start(song)
    end = time.monotonic() + 10
    while player.is_playing and time.monotonic() < end:
        time.sleep(0.01)
    assert player.failure() == "ffplay failed: SDL: no audio device"
    player.stop()


@pytest.mark.skipif(REAL_FFMPEG is None, reason="needs ffmpeg")
def test_pipe_player_gets_pcm_from_real_ffmpeg(
    fake_bin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    real_ffmpeg = REAL_FFMPEG
    assert real_ffmpeg is not None
    song = tmp_path / "song.wav"
    subprocess.run(
        [real_ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "sine=duration=1", str(song)],
        check=True,
    )
    (fake_bin / "ffmpeg").symlink_to(real_ffmpeg)
    pcm = tmp_path / "log" / "pcm"
    fake_program(fake_bin, "paplay", body=f'/bin/cat > "{pcm}.part"; /bin/mv "{pcm}.part" "{pcm}"')
    player = AudioPlayer()
    assert player.start(song, start_s=0.5) == "paplay"
    wait_for(pcm)
    # 0.5 s left, 44.1 kHz, 2 channels, 2 bytes a sample.
    assert abs(pcm.stat().st_size - 44100 * 2 * 2 // 2) < 44100 * 4 // 20
    player.stop()


def test_missing_file_is_not_played(fake_bin: Path, tmp_path: Path) -> None:
    fake_program(fake_bin, "ffplay")
    with pytest.raises(MediaError, match="file not found"):
        AudioPlayer().start(tmp_path / "gone.wav")
