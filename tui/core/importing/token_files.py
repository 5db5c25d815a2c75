"""CoNLL / IOB text and spaCy `.spacy` DocBin files as spans tasks (the inverse of
tui/core/export/token_formats.py).

CoNLL-2003 (`token POS CHUNK TAG`, `-DOCSTART-` lines) and IOB (`token<TAB>TAG`): the first
column is the token and the last the tag; a blank line ends a sentence, and each sentence
is one task. The tags may be IOB2 (`B-`/`I-`), IOB1 (an `I-` after `O` or another type
begins an entity) or BILOU/BIOES (`L-`/`E-` end one, `U-`/`S-` are one token). These files
keep tokens, not the spaces between them: the task's text is the tokens joined by one space
(as spaCy's own `spacy convert` reads CoNLL), and the task carries the tokens with their
offsets, so the annotator's tokens are the file's, token for token.

`.spacy`: each Doc is one task with its own text (a DocBin keeps the spaces), its tokens
and its entities; `doc.user_data["task_id"]` (labeldesk's export writes it) is the id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tui.core.i18n import _
from tui.core.importing.convert import Converted, ImportSettings, RowError
from tui.core.importing.sources import Row, SourceError
from tui.core.problems import Problem

TAG_PREFIXES = frozenset("BIELSU")


def _open_text(path: Path) -> Iterator[str]:
    try:
        handle = path.open("r", encoding="utf-8-sig", newline=None)
    except OSError as exc:
        raise SourceError(
            Problem(path, _("cannot read: {why}").format(why=exc.strerror or exc))
        ) from None
    with handle:
        try:
            yield from handle
        except UnicodeDecodeError as exc:
            raise SourceError(Problem(path, _("not UTF-8 text: {why}").format(why=exc))) from None


def conll_rows(path: Path, problems: list[Problem]) -> Iterator[Row]:
    """CoNLL or IOB text: one row per sentence (lines up to a blank line), with each token
    line's number, token and tag; a line without a tag is kept for the converter to report
    with its number."""
    lines: list[tuple[int, str, str | None]] = []
    first = 0
    for number, raw in enumerate(_open_text(path), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.split()[0] == "-DOCSTART-":
            if lines:
                yield Row(f"line {first}", {"conll": lines})
                lines = []
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        columns = [c.strip() for c in columns if c.strip()]
        if not lines:
            first = number
        token = columns[0]
        lines.append((number, token, columns[-1] if len(columns) > 1 else None))
    if lines:
        yield Row(f"line {first}", {"conll": lines})


def spacy_rows(path: Path, problems: list[Problem]) -> Iterator[Row]:
    """A `.spacy` DocBin: one row per Doc, its text, tokens and entities."""
    from tui.core.export.extras import require

    spacy = require("spacy", "spacy")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(
            Problem(path, _("cannot read: {why}").format(why=exc.strerror or exc))
        ) from None
    try:
        docbin = spacy.tokens.DocBin().from_bytes(data)
        docs = list(docbin.get_docs(spacy.vocab.Vocab()))
    except Exception as exc:  # spaCy and msgpack raise their own types for a bad file
        raise SourceError(
            Problem(path, _("not a readable spaCy DocBin (.spacy): {why}").format(why=exc))
        ) from None
    for number, doc in enumerate(docs, start=1):
        tokens = [
            (t.idx, t.idx + len(t.text), t.text) for t in doc if not t.is_space and t.text.strip()
        ]
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        found = doc.user_data.get("task_id") if isinstance(doc.user_data, dict) else None
        yield Row(
            f"doc {number}",
            {"text": doc.text, "tokens": tokens, "ents": ents, "task_id": found},
        )


def _entities(lines: list[tuple[int, str, str | None]]) -> list[tuple[int, int, str]]:
    """(first token, last token, label) of each entity the tags mark; a tag that is not
    O / B-, I-, E-, L-, S-, U- + a label is a RowError naming its line."""
    found: list[tuple[int, int, str]] = []
    open_label: str | None = None
    for index, (number, token, tag) in enumerate(lines):
        if tag is None:
            raise RowError(
                _("line {n}: expected a token and a tag, got only {token!r}").format(
                    n=number, token=token[:40]
                )
            )
        if tag == "O":
            open_label = None
            continue
        prefix, dash, label = tag.partition("-")
        if not dash or prefix not in TAG_PREFIXES or not label:
            raise RowError(
                _("line {n}: tag {tag!r} is not O or B-, I-, E-, L-, S-, U- and a label").format(
                    n=number, tag=tag[:40]
                )
            )
        if prefix in "IEL" and open_label == label:
            first, _last, _label = found[-1]
            found[-1] = (first, index, label)
        else:
            # B-, S-, U-, or an I-/E-/L- that continues nothing (IOB1): a new entity.
            found.append((index, index, label))
        open_label = label if prefix in "BI" else None
    return found


def from_token_file(row: dict[str, Any], settings: ImportSettings) -> Converted:
    """One sentence (CoNLL/IOB) or Doc (.spacy) as a spans task with its tokens, and its
    entities as the answer (pre-set spans, or gold)."""
    if "conll" in row:
        lines = row["conll"]
        entities = _entities(lines)
        offsets: list[tuple[int, int, str]] = []
        at = 0
        for _number, token, _tag in lines:
            offsets.append((at, at + len(token), token))
            at += len(token) + 1
        text = " ".join(token for _n, token, _t in lines)
        spans = [
            {"start": offsets[first][0], "end": offsets[last][1], "label": label}
            for first, last, label in entities
        ]
        task: dict[str, Any] = {"text": text}
    else:
        offsets = [(int(s), int(e), str(t)) for s, e, t in row["tokens"]]
        text = row["text"]
        spans = [{"start": s, "end": e, "label": label} for s, e, label in row["ents"]]
        task = {"text": text}
        if isinstance(row.get("task_id"), str | int) and str(row["task_id"]).strip():
            task["id"] = str(row["task_id"])
    if not text.strip():
        raise RowError(_("no tokens: there is nothing to label"))
    task["tokens"] = [
        {"start": start, "end": end, "id": n, "text": token}
        for n, (start, end, token) in enumerate(offsets)
    ]
    return Converted(task, {"spans": spans})
