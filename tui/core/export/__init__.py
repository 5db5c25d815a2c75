"""Exports of a batch's answers in the formats data teams already use (issue 14).

No Textual here. One streaming pass over tasks.jsonl and the results files (records.py)
feeds every format: jsonl, prodigy, label-studio(-min), csv, conll/iob, spacy, parquet.
"""

from tui.core.export.formats import (
    FORMATS,
    ExportOptions,
    ExportSummary,
    FormatError,
    write_export,
)
from tui.core.export.records import SELECTS, ExportRecord, ExportSource, iter_records, open_source

__all__ = [
    "FORMATS",
    "SELECTS",
    "ExportOptions",
    "ExportRecord",
    "ExportSource",
    "ExportSummary",
    "FormatError",
    "iter_records",
    "open_source",
    "write_export",
]
