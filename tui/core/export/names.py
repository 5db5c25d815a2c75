"""The names of the export formats, importable without the exporters (the CLI's parser is
built at every start-up: it must not import the engine)."""

from __future__ import annotations

FORMATS = (
    "jsonl",
    "prodigy",
    "label-studio",
    "label-studio-min",
    "csv",
    "conll",
    "iob",
    "spacy",
    "parquet",
)
BINARY_FORMATS = frozenset({"spacy", "parquet"})
SPAN_FORMATS = frozenset({"conll", "iob", "spacy"})
SELECTS = ("latest", "all")
IMPORT_FORMATS = (
    "label-studio",
    "label-studio-min",
    "prodigy",
    "csv",
    "jsonl",
    "parquet",
    "conll",
    "iob",
    "spacy",
)
