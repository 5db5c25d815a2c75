"""Imports from the formats data teams already use into a new batch folder (issue 14).

No Textual here. sources.py reads rows (Label Studio JSON, CSV, Prodigy/Hugging Face JSONL,
Parquet), convert.py maps one row to a task and its answer, build.py writes the batch."""

from tui.core.importing.build import (
    IMPORT_FORMATS,
    ImportError_,
    ImportRequest,
    ImportResult,
    run_import,
)

__all__ = ["IMPORT_FORMATS", "ImportError_", "ImportRequest", "ImportResult", "run_import"]
