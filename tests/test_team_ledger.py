"""The team claim contract (tests/team_contract.py) against the file ledger, and what only
the ledger does: counting answers from results files, torn lines, the lock's hold time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.team_contract import CONTRACT, Clock, Factory
from tui.core.batch import Batch
from tui.core.team.ledger import LedgerCoordinator
from tui.core.team.tasks import open_plan


def ledger_factory(folder: Path, clock: Clock) -> LedgerCoordinator:
    batch = Batch.open(folder)
    return LedgerCoordinator(folder, open_plan(batch), now=clock)


@pytest.mark.parametrize("check", CONTRACT, ids=lambda c: c.__name__)
def test_contract(check: Callable[[Path, Factory], None], tmp_path: Path) -> None:
    check(tmp_path, ledger_factory)
