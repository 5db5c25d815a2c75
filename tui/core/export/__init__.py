"""Exports of a batch's answers in the formats data teams already use (issue 14).

No Textual here. One streaming pass over tasks.jsonl and the results files (records.py)
feeds every format (formats.py): jsonl, prodigy, label-studio(-min), csv, conll/iob, spacy,
parquet. Nothing is imported here, so that the CLI can name the formats (names.py) without
loading the exporters.
"""
