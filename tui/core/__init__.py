"""The engine: batches, results store, KPIs, audits, media probing.

Nothing in this package may import Textual (tests/test_architecture.py enforces it), so the
engine is tested as plain Python and the UI stays a thin layer over it.
"""
