"""Which language a text is written in: Dutch or English, offline.

lingua-language-detector ships its n-gram models inside the wheel (no download at run time)
and is accurate on short texts. Restricted to the two languages the work is in, the models
load in ~0.4 s on first use, so the detector is built lazily and once.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lingua import LanguageDetector

Code = Literal["nl", "en"]

# Fewer words than this and a guess is noise ("Hallo", "OK"): report no language at all.
MIN_WORDS_TO_DETECT = 3

_lock = threading.Lock()
_detector: LanguageDetector | None = None
_NOISE = re.compile(r"https?://\S+|www\.\S+|\{[^{}\s]*\}|\d[\d.,:]*")


@dataclass(frozen=True)
class Detection:
    code: Code
    confidence: float


def _get_detector() -> LanguageDetector:
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            _detector = LanguageDetectorBuilder.from_languages(
                Language.DUTCH, Language.ENGLISH
            ).build()
        return _detector


def warm_up() -> None:
    """Load the models now (from a worker) so the first live check does not wait."""
    _get_detector().detect_language_of("dit is een test")


def detect(text: str) -> Detection | None:
    """The likelier of Dutch and English, or None when the text has too few words to tell.
    URLs, placeholders and numbers are left out: they say nothing about the language."""
    cleaned = _NOISE.sub(" ", text)
    if sum(1 for t in cleaned.split() if any(c.isalpha() for c in t)) < MIN_WORDS_TO_DETECT:
        return None
    values = _get_detector().compute_language_confidence_values(cleaned)
    if not values or values[0].value <= 0.0:
        return None
    best = values[0]
    code: Code = "nl" if best.language.name == "DUTCH" else "en"
    return Detection(code, best.value)
