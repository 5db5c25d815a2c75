"""`labeldesk team status` and `team release`, and the refusals of team mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import orjson
import pytest

from tests.team_contract import team_batch
from tui.cli import main
from tui.core.batch import Batch
from tui.core.team.engine import open_team, team_results_store
from tui.core.team.folder import check_team_folder, lock_problem
from tui.core.team.settings import TeamSettings


def test_status_json_and_lead_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = team_batch(tmp_path / "b", 5, "claim_size = 2")
    batch = Batch.open(folder)
    store = team_results_store(batch, "anna")
    store.open()
    team = open_team(batch, "anna")
    claims = team.coordinator.claim("anna", 3)
    assert [c.task_id for c in claims] == ["t0", "t1", "t2"]
    assert stat.S_IMODE((folder / "results" / "anna.jsonl").stat().st_mode) == 0o640
    assert stat.S_IMODE((folder / "team").stat().st_mode) == 0o3770
    team.coordinator.renew("anna", ["t0"])  # its line carries the claim's lock hold
    assert main(["team", "status", str(folder), "--json"]) == 0
    status = orjson.loads(capsys.readouterr().out)
    assert 0 < status["lock_max_ms"] <= team.coordinator.lock_max_ms + 0.001  # rounded
    assert status["tasks"] == 5 and status["live_claims"] == 3 and status["pool_left"] == 2
    assert status["annotators"][0] == {
        "annotator": "anna",
        "claimed": 3,
        "done": 0,
        "expired": 0,
        "over_covered": 0,
    }
    assert main(["team", "release", str(folder), "--annotator", "anna"]) == 0
    assert "released 3 live claim(s) of anna" in capsys.readouterr().out
    assert main(["team", "status", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "pool left 5" in out and "anna" in out
    team.coordinator.close()
    store.close()


def test_status_of_a_solo_batch_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.batch_factory import make_batch, texts

    folder = make_batch(tmp_path / "solo", texts(2))
    assert main(["team", "status", str(folder)]) == 2
    assert "is not a team batch: it has no [team] table" in capsys.readouterr().err


def test_folder_without_setgid_says_what_to_run(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    (folder / "results").mkdir(parents=True)
    os.chmod(folder / "results", 0o700)
    problems = [str(p) for p in check_team_folder(folder, TeamSettings())]
    assert any("lacks rwx" in p and "chmod g+rwx" in p for p in problems), problems
    assert any("lacks the setgid bit" in p and "chmod g+s" in p for p in problems), problems
    assert any("lacks the sticky bit" in p and "chmod +t" in p for p in problems), problems


def test_file_systems_without_shared_locks_are_refused(tmp_path: Path) -> None:
    info = (
        "36 35 98:0 / / rw,relatime - ext4 /dev/root rw\n"
        "40 36 0:50 / /mnt/remote rw,nosuid - fuse.sshfs me@host:/data rw,user_id=0\n"
        "41 36 0:51 / /mnt/nfs rw - nfs4 srv:/x rw,vers=4.2,local_lock=flock\n"
    )
    assert "fuse.sshfs" in (lock_problem(Path("/mnt/remote/batch"), info) or "")
    assert "local-only locks" in (lock_problem(Path("/mnt/nfs/b"), info) or "")
    assert lock_problem(tmp_path, info) is None
    synced = tmp_path / "Dropbox" / "batch"
    synced.mkdir(parents=True)
    assert "synced folder" in (lock_problem(synced, info) or "")


def test_a_team_database_is_not_silently_replaced_by_the_ledger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The database (issue 13) is used, or its absence said: never the ledger behind its back.
    folder = team_batch(
        tmp_path / "b", 2, f'database = "postgresql://team@/labels?host={tmp_path}"'
    )
    assert main(["team", "status", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the database labels@" in err
    assert not (folder / "team" / "claims.jsonl").exists()


def test_team_folders_that_cannot_be_made_say_what_to_run(tmp_path: Path) -> None:
    from tui.core.problems import BatchError

    folder = team_batch(tmp_path / "b", 2, "")
    (folder / "team").write_text("not a folder")
    with pytest.raises(BatchError) as caught:
        team_results_store(Batch.open(folder), "anna")
    message = str(caught.value)
    assert f"{folder / 'team'}: cannot create the team folder" in message
    assert f"chmod 3770 {folder / 'results'} {folder / 'team'}" in message
