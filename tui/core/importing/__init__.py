"""Imports from the formats data teams already use into a new batch folder (issue 14).

No Textual here. sources.py reads rows (Label Studio JSON, CSV, Prodigy/Hugging Face JSONL,
Parquet), convert.py maps one row to a task and its answer, build.py writes the batch.
"""
