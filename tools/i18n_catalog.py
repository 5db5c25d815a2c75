"""Extract, update and compile labeldesk's message catalogs (Babel; a developer tool).

    python tools/i18n_catalog.py extract   # tui/locale/labeldesk.pot from the source
    python tools/i18n_catalog.py init LANG # start tui/locale/LANG/LC_MESSAGES/labeldesk.po
    python tools/i18n_catalog.py update    # merge the template into every <lang>/.../labeldesk.po
    python tools/i18n_catalog.py compile   # every .po -> .mo beside it (committed, shipped)
    python tools/i18n_catalog.py check     # exit 1 if a catalog is stale, incomplete or fuzzy

What is extracted is set in babel.cfg (tui/ and task_types/, the keywords _, N_, ngettext).
The runtime needs none of this: tui/core/i18n.py reads the compiled .mo with gettext.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from configparser import RawConfigParser
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tui import __version__  # noqa: E402

LOCALE = REPO / "tui" / "locale"
DOMAIN = "labeldesk"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NC_": ((1, "c"), 2), "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def method_map() -> list[tuple[str, str]]:
    """The [python: PATTERN] sections of babel.cfg, as Babel's method map."""
    parser = RawConfigParser()
    parser.read(REPO / "babel.cfg", encoding="utf-8")
    found = []
    for section in parser.sections():
        method, _, pattern = section.partition(":")
        found.append((pattern.strip(), method.strip()))
    return found


# A fixed date: re-extracting must not change the files unless a message changed.
FIXED_DATE = datetime(2026, 11, 30, tzinfo=UTC)


def extract() -> Catalog:
    catalog = Catalog(
        project="labeldesk",
        version=__version__,
        domain=DOMAIN,
        charset="utf-8",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        str(REPO), method_map(), keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, domain=DOMAIN)


def write_catalog(catalog: Catalog, path: Path) -> None:
    # No line numbers and sorted: a moved line does not churn the catalog (fewer conflicts).
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=True, include_lineno=False, width=100)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def texts(value: object) -> tuple[str, ...]:
    """A message's id or string as a tuple of texts (a plural has several)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (tuple, list)):
        return tuple(str(v or "") for v in value)
    return ("",)


def msgids(catalog: Catalog) -> set[tuple[str | None, tuple[str, ...]]]:
    """(context, msgid) of every message: "accept" as an answer kind is not the key bar's."""
    return {(m.context, texts(m.id)) for m in catalog if m.id}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def problems(catalog: Catalog, source: Catalog) -> list[str]:
    """What is wrong with a language's catalog against the source: missing, stale, empty,
    fuzzy entries and placeholders the translation drops or invents."""
    out: list[str] = []
    have, want = msgids(catalog), msgids(source)
    out += [f"missing: {m!r}" for m in sorted(want - have, key=str)]
    out += [f"stale: {m!r}" for m in sorted(have - want, key=str)]
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            out.append(f"fuzzy: {message.id!r}")
        ids, strings = texts(message.id), texts(message.string)
        if not all(strings):
            out.append(f"untranslated: {message.id!r}")
            continue
        for n, string in enumerate(strings):
            got = placeholders(string)
            if len(ids) == 1:
                bad = got != placeholders(ids[0])
            else:
                # Form 0 is the singular, every other the plural. A form may leave out only
                # what the English singular leaves out (the count: "The planned item is").
                form = placeholders(ids[0] if n == 0 else ids[1])
                bad = bool(got - form) or bool(form & placeholders(ids[0]) - got)
            if bad:
                out.append(f"placeholders differ: {message.id!r} -> {string!r}")
    return out


def update(source: Catalog, paths: Iterable[Path]) -> None:
    for path in paths:
        catalog = read_catalog(path)
        catalog.update(source, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write_catalog(catalog, path)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    source = extract()
    if command == "extract":
        write_catalog(source, TEMPLATE)
    elif command == "init" and len(argv) == 2:
        path = LOCALE / argv[1] / "LC_MESSAGES" / f"{DOMAIN}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(
            locale=argv[1],
            project="labeldesk",
            version=__version__,
            domain=DOMAIN,
            charset="utf-8",
            creation_date=FIXED_DATE,
            revision_date=FIXED_DATE,
            fuzzy=False,
        )
        catalog.update(source, no_fuzzy_matching=True)
        write_catalog(catalog, path)
    elif command == "update":
        write_catalog(source, TEMPLATE)
        update(source, po_files())
    elif command == "compile":
        for path in po_files():
            path.with_suffix(".mo").write_bytes(compiled(read_catalog(path)))
    elif command == "check":
        bad = 0
        for path in po_files():
            for problem in problems(read_catalog(path), source):
                print(f"{path.relative_to(REPO)}: {problem}")
                bad += 1
        return 1 if bad else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
