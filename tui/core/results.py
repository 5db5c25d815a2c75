"""The annotator's results file for one batch: results/<annotator>.jsonl (DESIGN §3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.core.i18n import _
from tui.core.jsonl_store import AppendOnlyJsonl
from tui.core.problems import Problem
from tui.core.records import ResultRecord
from tui.core.result_lines import check_records
from tui.core.safe_files import DIR_MODE, FILE_MODE


class ResultsStore:
    def __init__(
        self,
        results_dir: Path,
        annotator: str,
        batch_id: str,
        *,
        file_mode: int = FILE_MODE,
        dir_mode: int = DIR_MODE,
    ) -> None:
        self.path = results_dir / f"{annotator}.jsonl"
        self.annotator = annotator
        self.batch_id = batch_id
        # Team batches pass group modes (TeamSettings.results_file_mode / dir_mode).
        self._file = AppendOnlyJsonl(
            self.path, owner=annotator, file_mode=file_mode, dir_mode=dir_mode
        )
        self.latest: dict[str, dict[str, Any]] = {}
        self.revisions: dict[str, int] = {}
        self.problems: list[Problem] = []

    def open(self) -> list[Problem]:
        """Lock and load the file (recovering a torn last line); raises StoreLockedError or
        StoreNotWritableError with a message for the annotator."""
        loaded = self._file.open()
        self.problems = list(loaded.problems)
        foreign = 0
        # The one validated reader: a line that does not fit is a problem, never a crash.
        numbered = zip(loaded.numbers, loaded.records, strict=True)
        for line in check_records(numbered, self.path, self.problems):
            if line.batch_id not in (None, self.batch_id):
                foreign += 1
                continue
            self._remember(line.raw)
        if foreign:
            self.problems.append(
                Problem(
                    self.path,
                    _(
                        "{foreign} line(s) belong to another batch id than {batch_id!r}; they "
                        "are kept but not used here"
                    ).format(foreign=foreign, batch_id=self.batch_id),
                    severity="warning",
                )
            )
        return self.problems

    def _remember(self, record: dict[str, Any]) -> None:
        task_id = record["task_id"]
        self.latest[task_id] = record
        count = self.revisions.get(task_id, 0) + 1
        revision = record.get("revision")
        # Never reuse a revision number a line already carries (lines may have been skipped).
        self.revisions[task_id] = max(count, revision) if type(revision) is int else count

    def is_answered(self, task_id: str) -> bool:
        record = self.latest.get(task_id)
        return record is not None and record.get("answer") != "undone"

    def next_revision(self, task_id: str) -> int:
        return self.revisions.get(task_id, 0) + 1

    def previous_active_ms(self, task_id: str) -> int:
        record = self.latest.get(task_id)
        value = record.get("active_ms", 0) if record else 0
        return value if type(value) is int and value >= 0 else 0

    def append(self, record: ResultRecord) -> None:
        """Durable before it returns: flushed and fsynced, and still at self.path. Raises
        OSError when the write fails, StoreGoneError (an OSError) when the file was removed
        or replaced while open: the answer is then NOT saved, say so."""
        data = record.to_json_dict()
        self._file.append(data)
        self._remember(data)

    def present(self) -> bool:
        """Whether the results file is still where it was opened (same inode): when it is
        not, nothing written this session can be found, and no one may say "saved"."""
        return self._file.present()

    def answered_count(self) -> int:
        return sum(1 for r in self.latest.values() if r.get("answer") != "undone")

    def close(self) -> None:
        self._file.close()
