"""Merged results with provenance, and adjudication of disagreements (issue 12, point 5).

merge_batch() gives one MergedRecord per task (source single, unanimous, majority,
adjudicated or unresolved); adjudications.py reads and writes adjudications/<name>.jsonl;
output.py writes the merged JSONL. No Textual here.
"""

from tui.core.merge.adjudications import (
    Adjudication,
    AdjudicationWriter,
    BasedOn,
    read_adjudications,
)
from tui.core.merge.merge import (
    SOURCES,
    MergedRecord,
    MergeResult,
    Vote,
    disagreements,
    merge_batch,
)
from tui.core.merge.output import write_file, write_stream

__all__ = [
    "SOURCES",
    "Adjudication",
    "AdjudicationWriter",
    "BasedOn",
    "MergeResult",
    "MergedRecord",
    "Vote",
    "disagreements",
    "merge_batch",
    "read_adjudications",
    "write_file",
    "write_stream",
]
