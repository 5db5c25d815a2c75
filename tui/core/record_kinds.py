"""The fixed words of answer and audit lines (DESIGN §3), apart from the pydantic models in
records.py: the readers of results lines (result_lines.py: stats, audit, merge, export) need
only these, and importing pydantic costs them ~80 ms at each start."""

from __future__ import annotations

from typing import Literal

AnswerKind = Literal["accept", "reject", "skip", "flag", "undone"]
FlagReason = Literal["ambiguous", "guidelines", "tooling", "sensitive", "other"]
FLAG_REASONS: tuple[FlagReason, ...] = ("ambiguous", "guidelines", "tooling", "sensitive", "other")
Verdict = Literal["pass", "fail", "corrected"]
