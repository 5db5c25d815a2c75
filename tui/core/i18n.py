"""The one translation layer: every string the interface shows goes through `_()` or
`ngettext()` (gettext catalogs in tui/locale/, English is the source language).

Strings defined at import time (key descriptions, flag reasons, binding descriptions) are
marked with `N_()` so Babel extracts them, and translated with `_()` where they are shown:
the language is chosen when the first string is looked up, not at import.

The language: LABELDESK_LANGUAGE (for scripts and tests), else `language` in the user's
config.toml, else the environment as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG),
else English. Task content, label names, ids, file and key names are never translated.
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "labeldesk"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
# The languages with a catalog in tui/locale/ (English needs none: it is the source).
LANGUAGES = ("en", "nl")
ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# Re-entrant: should choosing the language ever translate (a message while reading the
# config), that inner lookup gets English instead of waiting for itself.
_lock = threading.RLock()
_resolving = False
_chosen: str | None = None  # set_language(); None: resolve on first use
_translations: gettext.NullTranslations | None = None
_language: str | None = None


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (import-time tables)."""
    return message


def NC_(context: str, message: str) -> str:
    """N_() with a context: the same English word used as a different part of speech (the
    answer kind "skip" beside the key bar's "skip") gets its own entry; translate it with
    pgettext(context, message) where it is shown."""
    return message


def _(message: str) -> str:
    return _current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current().pgettext(context, message)


def normalize(code: str) -> str | None:
    """`nl_NL.UTF-8`, `nl-BE`, `NL` -> `nl`; None when no catalog serves it (C, POSIX, fr)."""
    base = code.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0]
    base = base.lower()
    return base if base in LANGUAGES else None


def language_from_env(env: Mapping[str, str]) -> str | None:
    """The language gettext would pick: the first set variable of LANGUAGE (a colon list),
    LC_ALL, LC_MESSAGES, LANG decides; None when it names no language we have."""
    for var in ENV_VARS:
        value = env.get(var, "").strip()
        if not value:
            continue
        if var == "LANGUAGE":
            for part in value.split(":"):
                found = normalize(part)
                if found:
                    return found
            continue  # GNU gettext: LANGUAGE without a known entry falls through
        return normalize(value)
    return None


def resolve_language(config_language: str | None, env: Mapping[str, str] | None = None) -> str:
    environ = os.environ if env is None else env
    override = environ.get("LABELDESK_LANGUAGE", "").strip()
    if override:
        return normalize(override) or SOURCE_LANGUAGE
    if config_language:
        found = normalize(config_language)
        if found:
            return found
    return language_from_env(environ) or SOURCE_LANGUAGE


def _configured_language() -> str | None:
    """`language` of config.toml, read with tomllib alone: choosing the language needs no
    pydantic (the home screen and `--help` come up before it is imported). A file that
    cannot be read gives None here; tui/core/user_config.py reads it fully and says why."""
    import tomllib

    from tui.core.resources import config_dir

    try:
        with (config_dir() / "config.toml").open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("language")
    return value if isinstance(value, str) else None


def translations_for(code: str) -> gettext.NullTranslations:
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)


def _current() -> gettext.NullTranslations:
    global _translations, _language, _resolving
    found = _translations
    if found is not None:
        return found
    with _lock:
        if _translations is None:
            if _resolving:  # called from within the config read below, same thread
                return gettext.NullTranslations()
            _resolving = True
            try:
                code = _chosen or resolve_language(_configured_language())
            finally:
                _resolving = False
            _language = code
            _translations = translations_for(code)
        return _translations


def current_language() -> str:
    _current()
    return _language or SOURCE_LANGUAGE  # None only while the language is being chosen


def set_language(code: str | None) -> None:
    """Use `code` from now on; None: choose again (config, environment) on the next string."""
    global _chosen, _translations, _language
    with _lock:
        _chosen = normalize(code) or SOURCE_LANGUAGE if code else None
        _translations = None
        _language = None
