"""`[team]` in batch.toml: defaults, and a precise message (file, line, field) for every bad
value; the plan computed from it is the same in every process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts
from tui.core.batch_config import read_batch_config
from tui.core.team.plan import PlanTask, TeamPlan, overlap_sample, shuffled_order
from tui.core.team.settings import OverlapSettings, TeamSettings

REPO = Path(__file__).resolve().parent.parent


def problems_of(tmp_path: Path, team: str) -> list[str]:
    folder = make_batch(tmp_path / "b", texts(2), extra="[team]\n" + team + "\n")
    config, problems = read_batch_config(folder / "batch.toml")
    assert config is None, "expected the [team] table to be refused"
    return [str(p) for p in problems]


def test_absent_team_is_solo(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    config, problems = read_batch_config(folder / "batch.toml")
    assert problems == [] and config is not None and config.team is None


def test_team_not_a_table_and_other_errors_are_all_said(tmp_path: Path) -> None:
    """[team] is validated apart from the rest of batch.toml (solo batches never build the
    team models): its problems and the others' come together, each on its line."""
    folder = make_batch(tmp_path / "b", texts(2), target_per_hour=0, team=5)
    config, problems = read_batch_config(folder / "batch.toml")
    assert config is None
    said = sorted(str(p).split("batch.toml", 1)[1] for p in problems)
    assert len(said) == 2, said
    assert said[0].startswith(":3: [target_per_hour] Input should be greater than 0"), said
    assert said[1].startswith(":4: [team] Input should be a valid dictionary"), said


def test_defaults_and_octal_modes(tmp_path: Path) -> None:
    folder = make_batch(
        tmp_path / "b",
        texts(2),
        extra=(
            '[team]\nfile_mode = 0o664\ndir_mode = "2775"\n'
            "[team.overlap]\nfraction = 0.1\nannotations = 2\nseed = 7\n"
        ),
    )
    config, problems = read_batch_config(folder / "batch.toml")
    assert problems == [] and config is not None and config.team is not None
    team = config.team
    assert team.annotations_per_task == 1 and team.claim_size == 5 and team.order == "file"
    assert team.skip == "release" and team.lease_seconds == 600 and team.database is None
    assert team.file_mode == 0o664 and team.dir_mode == 0o2775
    assert team.results_file_mode == 0o644
    assert team.overlap == OverlapSettings(fraction=0.1, annotations=2, seed=7)
    assert TeamSettings().file_mode == 0o660 and TeamSettings().dir_mode == 0o3770


@pytest.mark.parametrize(
    ("team", "expected"),
    [
        (
            "annotations_per_task = 0",
            ':6: [team.annotations_per_task] Value error, expected a number of annotators (1 or more) or "all" (got 0)',
        ),
        (
            'annotations_per_task = "most"',
            ":6: [team.annotations_per_task] Value error, expected a number of annotators (1 or more) or \"all\" (got 'most')",
        ),
        ("claim_size = 0", ":6: [team.claim_size] Input should be greater than or equal to 1"),
        (
            "lease_seconds = 1",
            ":6: [team.lease_seconds] Input should be greater than or equal to 5",
        ),
        (
            'order = "random"',
            ":6: [team.order] Input should be 'file', 'shuffle' or 'started-first'",
        ),
        ('skip = "drop"', ":6: [team.skip] Input should be 'release' or 'count'"),
        ("quota = -1", ":6: [team.quota] Input should be greater than 0"),
        (
            "file_mode = 0o600",
            ":6: [team.file_mode] Value error, the team's files must be readable",
        ),
        ('file_mode = "rw"', ":6: [team.file_mode] Value error, expected an octal file mode"),
        ("dir_mode = 0o770", ":6: [team.dir_mode] Value error, team folders must be rwx for owner"),
        ("claim_sise = 5", ":6: [team.claim_sise] unknown field"),
        ('route_by = "lang"', ":5: [team] Value error, route_by = 'lang' needs a [team.routes]"),
        ("[team.routes]\nnl = []", ":6: [team.routes] Value error, route 'nl' names no annotator"),
        (
            "[team.overlap]\nannotations = 2",
            ":6: [team.overlap] Value error, give the sample's size",
        ),
        ("[team.overlap]\nfraction = 1.5", ":7: [team.overlap.fraction] Input should be less than"),
        (
            "[team.overlap]\nfraction = 0.1\ncount = 3",
            ":6: [team.overlap] Value error, give the sample's size as exactly one",
        ),
        (
            "[team.overlap]\ncount = 3\nannotations = 0",
            ":8: [team.overlap.annotations] Value error, expected a number of annotators",
        ),
    ],
)
def test_bad_team_values_name_file_line_and_field(tmp_path: Path, team: str, expected: str) -> None:
    problems = problems_of(tmp_path, team)
    assert len(problems) >= 1
    assert any(str(tmp_path / "b" / "batch.toml") + expected in p for p in problems), problems


def test_sample_is_exact_and_stratified() -> None:
    tasks = [PlanTask(f"t{i}", {"lang": "nl" if i % 4 else "en"}) for i in range(2000)]
    sample = overlap_sample(tasks, OverlapSettings(fraction=0.1, annotations=2, seed=1))
    assert len(sample) == 200
    assert len(overlap_sample(tasks, OverlapSettings(count=37, seed=1))) == 37
    strat = overlap_sample(tasks, OverlapSettings(fraction=0.1, seed=1, stratify_by="lang"))
    en = [t for t in strat if int(t[1:]) % 4 == 0]
    assert len(strat) == 200 and len(en) == 50  # 10 % of 500 en tasks, 10 % of 1500 nl ones
    assert overlap_sample(tasks, OverlapSettings(count=37, seed=2)) != overlap_sample(
        tasks, OverlapSettings(count=37, seed=1)
    )


def test_targets_and_all() -> None:
    tasks = [PlanTask(f"t{i}") for i in range(10)]
    plan = TeamPlan(TeamSettings(overlap=OverlapSettings(count=3, annotations=2)), tasks)
    assert sorted(plan.target(i) for i in range(10)) == [1] * 7 + [2] * 3
    assert plan.total_target(5) == 13
    everyone = TeamPlan(TeamSettings(annotations_per_task="all"), tasks)
    assert everyone.target(0) is None and everyone.total_target(4) == 40


def test_two_processes_agree_on_sample_and_order() -> None:
    """hash() is salted per process; the plan's hash is not: two interpreters with different
    PYTHONHASHSEED pick the same sample and the same shuffled order."""
    code = (
        "from tui.core.team.plan import PlanTask, overlap_sample, shuffled_order\n"
        "from tui.core.team.settings import OverlapSettings\n"
        "tasks = [PlanTask(f'task-{i}') for i in range(500)]\n"
        "s = overlap_sample(tasks, OverlapSettings(fraction=0.1, seed=42))\n"
        "print(sorted(s), shuffled_order([t.task_id for t in tasks], 9)[:50])\n"
    )
    outs = []
    for salt in ("1", "2"):
        env = {"PYTHONPATH": str(REPO), "PYTHONHASHSEED": salt, "PATH": "/usr/bin:/bin"}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
        )
        assert result.returncode == 0, result.stderr
        outs.append(result.stdout)
    assert outs[0] == outs[1]
    here = shuffled_order([f"task-{i}" for i in range(500)], 9)
    assert sorted(here) == list(range(500)) and here != list(range(500))


def test_threshold_selection_is_the_k_smallest_hashes() -> None:
    import heapq

    from tui.core.team.plan import _smallest, stable_hash

    for n, k, seed in [(10, 3, 1), (1000, 100, 2), (1000, 1000, 3), (5, 7, 4), (3000, 2999, 6)]:
        ids = [f"x{i}" for i in range(n)]
        expected = [t for _, t in heapq.nsmallest(k, ((stable_hash(seed, t), t) for t in ids))]
        assert _smallest(ids, seed, k) == expected
