"""Span suggestions from a pattern file in spaCy's EntityRuler / Prodigy format.

`[task] patterns = "patterns.jsonl"` in batch.toml: one pattern per line,
`{"label": "ORG", "pattern": "De Nederlandsche Bank"}` (a phrase: matched as written, on token
boundaries) or `{"label": "LOC", "pattern": [{"LOWER": "den"}, {"LOWER": "haag"}]}` (token
patterns: ORTH/TEXT match a token exactly, LOWER its lower case, IS_TITLE/IS_UPPER/IS_DIGIT
true or false; labeldesk's own tokens). Matches become pre-set spans on an item not yet
answered, for the annotator to confirm, change or delete; the longest match wins where two
overlap, as the EntityRuler's filter does. A bad line is reported with its line and field and
left out; the file is read once per change (size and mtime), never through a symlink.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from task_types.spans.tokens import Tok
from tui.core.i18n import _
from tui.core.safe_files import open_regular, read_all

TOKEN_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "IS_TITLE", "IS_UPPER", "IS_DIGIT"})
MAX_PATTERN_FILE = 20 * 1024 * 1024


@dataclass(frozen=True)
class Pattern:
    label: str
    phrase: str | None = None
    tokens: tuple[tuple[tuple[str, Any], ...], ...] = ()


@dataclass
class Patterns:
    patterns: list[Pattern] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _token_spec(spec: object, where: str) -> tuple[tuple[str, Any], ...]:
    if not isinstance(spec, dict) or not spec:
        raise ValueError(
            _('{where}: expected an object such as {{"LOWER": "haag"}}').format(where=where)
        )
    out = []
    for key, value in spec.items():
        if key not in TOKEN_ATTRS:
            known = ", ".join(sorted(TOKEN_ATTRS))
            raise ValueError(
                _("{where}.{key}: not supported here (supported: {known})").format(
                    where=where, key=key, known=known
                )
            )
        if key.startswith("IS_") and not isinstance(value, bool):
            raise ValueError(
                _("{where}.{key}: expected true or false").format(where=where, key=key)
            )
        if not key.startswith("IS_") and not isinstance(value, str):
            raise ValueError(_("{where}.{key}: expected a string").format(where=where, key=key))
        out.append((key, value))
    return tuple(out)


def parse_patterns(data: bytes, name: str, labels: Sequence[str]) -> Patterns:
    """Every usable pattern, and a message per line that is not (file, line, field)."""
    result = Patterns()
    known = set(labels)
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = _("{name} line {number}").format(name=name, number=number)
        try:
            raw = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            result.problems.append(
                _("{where}: not valid JSON ({error})").format(where=where, error=exc)
            )
            continue
        if not isinstance(raw, dict):
            result.problems.append(
                _("{where}: expected an object with label and pattern").format(where=where)
            )
            continue
        label = raw.get("label")
        if not isinstance(label, str) or label not in known:
            shown = ", ".join(labels)
            result.problems.append(
                _("{where}: label {label!r} is not one of the labels ({shown})").format(
                    where=where, label=label, shown=shown
                )
            )
            continue
        pattern = raw.get("pattern")
        try:
            if isinstance(pattern, str) and pattern.strip():
                result.patterns.append(Pattern(label, phrase=pattern))
            elif isinstance(pattern, list) and pattern:
                specs = tuple(_token_spec(spec, f"pattern.{n}") for n, spec in enumerate(pattern))
                result.patterns.append(Pattern(label, tokens=specs))
            else:
                raise ValueError(_("pattern: expected a phrase or a list of token objects"))
        except ValueError as exc:
            result.problems.append(f"{where}: {exc}")
    return result


_CACHE: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, int], Patterns]] = {}


def load_patterns(path: Path, labels: Sequence[str]) -> Patterns:
    """The pattern file's patterns, read again only when its size or mtime changed."""
    key = (str(path), tuple(labels))
    try:
        fd, _path = open_regular(path, os.O_RDONLY)
    except OSError as exc:
        cannot = _("{name}: cannot read ({error})").format(
            name=path.name, error=exc.strerror or exc
        )
        return Patterns(problems=[cannot])
    try:
        stat = os.fstat(fd)
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if stat.st_size > MAX_PATTERN_FILE:
            over = _("{name}: over {size} MB").format(name=path.name, size=MAX_PATTERN_FILE >> 20)
            return Patterns(problems=[over])
        parsed = parse_patterns(read_all(fd), path.name, labels)
    finally:
        os.close(fd)
    _CACHE[key] = (stamp, parsed)
    return parsed


def _token_matches(word: str, spec: tuple[tuple[str, Any], ...]) -> bool:
    for key, value in spec:
        if key in ("ORTH", "TEXT") and word != value:
            return False
        if key == "LOWER" and word.lower() != value:
            return False
        if key == "IS_TITLE" and word.istitle() != value:
            return False
        if key == "IS_UPPER" and word.isupper() != value:
            return False
        if key == "IS_DIGIT" and word.isdigit() != value:
            return False
    return True


def suggest(text: str, tokens: Sequence[Tok], patterns: Patterns) -> list[tuple[int, int, str]]:
    """(start, end, label) of every match on token boundaries; overlaps: the longest wins
    (then the earliest, then the first pattern)."""
    starts = {t.start: n for n, t in enumerate(tokens)}
    ends = {t.end: n for n, t in enumerate(tokens)}
    words = [text[t.start : t.end] for t in tokens]
    found: list[tuple[int, int, str, int]] = []
    for order, pattern in enumerate(patterns.patterns):
        if pattern.phrase is not None:
            for match in re.finditer(re.escape(pattern.phrase), text):
                if match.start() in starts and match.end() in ends:
                    found.append((match.start(), match.end(), pattern.label, order))
            continue
        size = len(pattern.tokens)
        for first in range(len(tokens) - size + 1):
            window = words[first : first + size]
            if all(_token_matches(w, s) for w, s in zip(window, pattern.tokens, strict=True)):
                start, end = tokens[first].start, tokens[first + size - 1].end
                found.append((start, end, pattern.label, order))
    found.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[3]))
    kept: list[tuple[int, int, str]] = []
    for start, end, label, _pattern in found:
        if all(end <= s or start >= e for s, e, _label in kept):
            kept.append((start, end, label))
    return sorted(kept)
