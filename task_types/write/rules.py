"""The batch's rules, checked on a written text: live while typing and again on submit."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from task_types.write.language import Code, detect
from task_types.write.models import Violation, WriteOptions
from tui.core.i18n import N_, _

LANGUAGE_NAMES = {"nl": N_("Dutch"), "en": N_("English")}

# The trailing punctuation of a sentence is not part of the URL it ends with.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'{}]+")
_URL_TAIL = ".,;:!?)]»\"'’"
_PLACEHOLDER = re.compile(r"\{\{?\s*[A-Za-z_][A-Za-z0-9_.]*\s*\}?\}")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


def clean(text: str) -> str:
    """The text as saved: outer blank lines and trailing spaces (editors add them) removed."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def count_words(text: str) -> int:
    """Whitespace-separated tokens with a letter or digit: a lone dash is not a word."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def count_chars(text: str) -> int:
    return len(text)


def urls(text: str) -> list[str]:
    return [m.group(0).rstrip(_URL_TAIL) for m in _URL.finditer(text)]


def placeholders(text: str) -> list[str]:
    return [re.sub(r"\s+", "", m.group(0)) for m in _PLACEHOLDER.finditer(_URL.sub(" ", text))]


def numbers(text: str) -> list[str]:
    """Numbers, compared by their digits: a translation writes 12,50 as 12.50 and 1.000 as
    1,000, and both are the same number kept."""
    rest = _PLACEHOLDER.sub(" ", _URL.sub(" ", text))
    return [m.group(0) for m in _NUMBER.finditer(rest)]


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _missing(wanted: list[str], have: list[str]) -> list[str]:
    """The items of `wanted` not in `have`, counting repeats: two {name} need two."""
    left = Counter(have)
    out: list[str] = []
    for item in wanted:
        if left[item] > 0:
            left[item] -= 1
        else:
            out.append(item)
    return out


def forbidden_found(text: str, phrases: list[str]) -> list[str]:
    folded = " ".join(text.casefold().split())
    return [p for p in phrases if " ".join(p.casefold().split()) in folded]


@dataclass(frozen=True)
class Report:
    text: str
    words: int
    chars: int
    language: Code | None
    confidence: float | None
    violations: list[Violation] = field(default_factory=list)


def _limits(words: int, chars: int, options: WriteOptions) -> list[Violation]:
    out: list[Violation] = []
    for unit, n in (("words", words), ("chars", chars)):
        name = "words" if unit == "words" else "characters"
        low, high = getattr(options, f"min_{unit}"), getattr(options, f"max_{unit}")
        if low is not None and n < low:
            out.append(
                Violation(
                    rule=f"min_{unit}",
                    message=_("{n} {name}, at least {low}").format(n=n, name=name, low=low),
                )
            )
        if high is not None and n > high:
            out.append(
                Violation(
                    rule=f"max_{unit}",
                    message=_("{n} {name}, at most {high}").format(n=n, name=name, high=high),
                )
            )
    return out


def _kept(text: str, source: str, options: WriteOptions) -> list[Violation]:
    out: list[Violation] = []
    if "placeholders" in options.keep:
        mine, theirs = placeholders(text), placeholders(source)
        for p in _missing(theirs, mine):
            out.append(
                Violation(
                    rule="keep.placeholders", message=_("placeholder {p} is missing").format(p=p)
                )
            )
        for p in sorted(set(mine) - set(theirs)):
            out.append(
                Violation(
                    rule="keep.placeholders",
                    message=_("{p} is not a placeholder of the source").format(p=p),
                )
            )
    if "numbers" in options.keep:
        have = [_digits(n) for n in numbers(text)]
        wanted = numbers(source)
        left = Counter(have)
        for n in wanted:
            if left[_digits(n)] > 0:
                left[_digits(n)] -= 1
            else:
                out.append(
                    Violation(rule="keep.numbers", message=_("number {n} is missing").format(n=n))
                )
    if "urls" in options.keep:
        for u in _missing(urls(source), urls(text)):
            out.append(
                Violation(rule="keep.urls", message=_("URL {u} is missing or changed").format(u=u))
            )
    return out


def check_text(text: str, source: str | None, options: WriteOptions) -> Report:
    """Every rule of the batch against the text; each broken one is a Violation."""
    text = clean(text)
    words, chars = count_words(text), count_chars(text)
    detection = detect(text) if text else None
    violations = _limits(words, chars, options)
    wanted = options.language
    if wanted is not None and detection is not None and detection.code != wanted:
        violations.append(
            Violation(
                rule="language",
                message=(
                    _("reads as {code} ({confidence:.0%}), the batch asks for {wanted}").format(
                        code=_(LANGUAGE_NAMES[detection.code]),
                        confidence=detection.confidence,
                        wanted=_(LANGUAGE_NAMES[wanted]),
                    )
                ),
            )
        )
    for phrase in forbidden_found(text, options.forbidden):
        violations.append(
            Violation(
                rule="forbidden", message=_("forbidden phrase “{phrase}”").format(phrase=phrase)
            )
        )
    if source and text:
        violations.extend(_kept(text, source, options))
    return Report(
        text=text,
        words=words,
        chars=chars,
        language=detection.code if detection else None,
        confidence=detection.confidence if detection else None,
        violations=violations,
    )
