"""Span answers as tokens: CoNLL-2003 / IOB text and spaCy's `.spacy` DocBin.

Tokens are spaCy's, from the blank tokenizer of the batch's language (`spacy.blank("nl")`,
`spacy.blank("en")`), never a whitespace split: Dutch clitics, hyphens and punctuation are
split the way spaCy pipelines will see them later. Each span becomes `doc.char_span(start,
end)` (strict alignment): a span whose edges fall inside a spaCy token, or that overlaps
another span, is reported (task id, span, why) and left out — never moved to the nearest
token boundary, which would silently change the annotation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from tui.core.export.extras import require
from tui.core.export.records import ExportRecord

LANGUAGES = ("nl", "en")


@dataclass(frozen=True, slots=True)
class Misaligned:
    task_id: str
    annotator: str
    start: int
    end: int
    label: str
    why: str

    def __str__(self) -> str:
        return (
            f"task {self.task_id!r} ({self.annotator}): span {self.start}-{self.end} "
            f"{self.label}: {self.why}; left out"
        )


@dataclass
class TokenExport:
    """What a token export did: documents written, spans kept, spans reported."""

    docs: int = 0
    spans: int = 0
    misaligned: list[Misaligned] = field(default_factory=list)
    skipped_answers: int = 0  # skips, flags and withdrawals: no spans to write


def language_of(batch_language: str | None, override: str | None = None) -> str:
    if override:
        return override
    if batch_language and batch_language[:2] in LANGUAGES:
        return batch_language[:2]
    return "en"


class Aligner:
    """spaCy's blank tokenizer for a language, and span alignment on its tokens."""

    def __init__(self, language: str) -> None:
        spacy = require("spacy", "conll/iob/spacy")
        self.nlp: Any = spacy.blank(language)

    def doc(self, record: ExportRecord, report: TokenExport) -> Any:
        text = str(record.task.get("text", ""))
        doc = self._own_tokens(text, record.task.get("tokens")) or self.nlp.make_doc(text)
        ents: list[Any] = []
        taken: list[tuple[int, int]] = []
        spans = (record.value or {}).get("spans") or []
        for span in sorted(
            (s for s in spans if isinstance(s, dict)), key=lambda s: (s["start"], s["end"])
        ):
            start, end, label = int(span["start"]), int(span["end"]), str(span["label"])
            made = doc.char_span(start, end, label=label)
            why = None
            if made is None:
                why = self._why(doc, start, end)
            elif any(made.start < t_end and t_start < made.end for t_start, t_end in taken):
                why = "overlaps another span of the same answer (IOB tags cannot nest)"
            if why is not None:
                report.misaligned.append(
                    Misaligned(record.task_id, record.annotator, start, end, label, why)
                )
                continue
            ents.append(made)
            taken.append((made.start, made.end))
        doc.ents = ents
        doc.user_data["task_id"] = record.task_id
        doc.user_data["annotator"] = record.annotator
        report.spans += len(ents)
        return doc

    def _own_tokens(self, text: str, tokens: object) -> Any:
        """The task's own tokens (an imported CoNLL sentence, a Prodigy task) as a Doc, when
        they cover the text with nothing or one space between them; else None (spaCy's
        tokenizer then makes the tokens). The span's token indices count these tokens."""
        if not isinstance(tokens, list) or not tokens:
            return None
        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for token in tokens:
            start = token.get("start") if isinstance(token, dict) else None
            end = token.get("end") if isinstance(token, dict) else None
            if type(start) is not int or type(end) is not int or not at <= start < end:
                return None
            gap = text[at:start]
            if gap not in ("", " ") or (gap and not words):
                return None
            if words:
                spaces[-1] = gap == " "
            words.append(text[start:end])
            spaces.append(False)
            at = end
        if text[at:] not in ("", " "):
            return None
        spaces[-1] = text[at:] == " "
        from spacy.tokens import Doc

        doc = Doc(self.nlp.vocab, words=words, spaces=spaces)
        return doc if doc.text == text else None

    @staticmethod
    def _why(doc: Any, start: int, end: int) -> str:
        text = doc.text
        if not 0 <= start < end <= len(text):
            return f"lies outside the text (0-{len(text)})"
        for token in doc:
            t0, t1 = token.idx, token.idx + len(token.text)
            if t0 < start < t1:
                return f"starts inside spaCy token {token.text!r} ({t0}-{t1})"
            if t0 < end < t1:
                return f"ends inside spaCy token {token.text!r} ({t0}-{t1})"
        return "does not cover whole spaCy tokens (it begins or ends on whitespace)"


def _docs(records: Iterable[ExportRecord], aligner: Aligner, report: TokenExport) -> Iterable[Any]:
    for record in records:
        if record.answer not in ("accept", "reject"):
            report.skipped_answers += 1
            continue
        report.docs += 1
        yield aligner.doc(record, report)


def write_conll(
    records: Iterable[ExportRecord], out: BinaryIO, language: str, style: str = "conll"
) -> TokenExport:
    """`conll`: CoNLL-2003 columns `token -X- _ TAG`, a -DOCSTART- line per document;
    `iob`: `token<TAB>TAG`. A blank line ends each document; whitespace tokens are left out
    (a CoNLL line cannot hold one)."""
    report = TokenExport()
    aligner = Aligner(language)
    for doc in _docs(records, aligner, report):
        lines: list[str] = []
        if style == "conll":
            lines.append("-DOCSTART- -X- O O")
            lines.append("")
        for token in doc:
            if token.is_space or not token.text.strip():
                continue
            tag = "O" if token.ent_iob_ in ("O", "") else f"{token.ent_iob_}-{token.ent_type_}"
            word = token.text.replace("\t", " ")
            lines.append(f"{word} -X- _ {tag}" if style == "conll" else f"{word}\t{tag}")
        lines.append("")
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    return report


def write_docbin(records: Iterable[ExportRecord], out: BinaryIO, language: str) -> TokenExport:
    """A `.spacy` DocBin: one Doc per answer, entities set, the task id and annotator in
    `doc.user_data`. DocBin serializes in one piece, so the docs are held until the end
    (their tokens and entities, not the task lines)."""
    spacy = require("spacy", "spacy")
    report = TokenExport()
    aligner = Aligner(language)
    docbin = spacy.tokens.DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
    for doc in _docs(records, aligner, report):
        docbin.add(doc)
    out.write(docbin.to_bytes())
    return report
