"""Keymaps as data: binding id -> keys, stacked in layers and checked for conflicts.

Layers, later ones override earlier ones by id (DESIGN §4):
  1. keymaps/default.toml (app bindings and label keys) and each task type's keys.toml;
  2. a named keymap chosen with --keymap NAME (keymaps/NAME.toml);
  3. the user's keymap.toml in the config folder;
  4. the batch's [keymap] table.
A layer is TOML with one table per context: `[app] help = "question_mark,f1"`; in batch.toml
the same reads `[keymap] app.help = "f1"`. Keys use Textual's key names.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.i18n import N_, _
from tui.core.problems import Problem
from tui.core.resources import data_dir
from tui.core.symbols import key_name
from tui.core.task_type import MAX_LABEL_KEYS, TaskType
from tui.core.toml_text import toml_error_text

# Descriptions live with the code that acts on them; which keys trigger them is data.
APP_BINDINGS: dict[str, str] = {
    "app.submit": N_("submit the answer and go to the next item"),
    "app.skip": N_("skip this item"),
    "app.undo": N_("undo the last answer"),
    "app.back": N_("go back to the previous item"),
    "app.forward": N_("go forward (up to the first unanswered item)"),
    "app.flag": N_("flag this item (ambiguous, guidelines, tooling, sensitive, other)"),
    "app.guidelines": N_("show the guidelines"),
    "app.help": N_("show every active key"),
    "app.scroll_down": N_("scroll the item down (long texts)"),
    "app.scroll_up": N_("scroll the item up"),
    "app.reveal": N_("reveal a hidden sensitive item"),
    "app.summary": N_("session summary: items, active and idle time, rate, slowest items"),
    "app.stats": N_("statistics of this batch, every annotator"),
    "app.my_audits": N_("audits of your own work: pass rate, errors, auditors' comments"),
    "app.history": N_(
        "your answers in this batch: revisit skipped, flagged, gold missed or "
        "audit failed items; go to item N or an id"
    ),
    "app.rescue": N_(
        "write answers that are in no results file (batch folder deleted) to a file you name"
    ),
    "app.quit": N_("quit (every answer is already saved)"),
    "app.interrupt": N_("Ctrl+c does not quit here: it says which key does"),
}

# The audit review screen's own bindings (tui/screens/audit_review.py).
AUDIT_BINDINGS: dict[str, str] = {
    "audit.pass": N_("the annotator's answer is right: record a pass"),
    "audit.fail": N_("the answer is wrong: record a fail (asks error categories and a comment)"),
    "audit.correct": N_("correct the answer in the task's own view, then categories and comment"),
    "audit.cancel": N_("leave the correction, or close the error dialog, without recording"),
    "audit.comment": N_("error dialog: move between the categories and the comment"),
    "audit.scroll_up": N_("scroll the item up"),
    "audit.scroll_down": N_("scroll the item down"),
}

# The adjudication screen's own bindings (tui/screens/adjudicate.py); it also uses
# audit.correct, audit.cancel and the audit scroll keys, and app.* as the review screen does.
ADJUDICATE_PICKS = 9
ADJUDICATE_BINDINGS: dict[str, str] = {
    **{
        f"adjudicate.pick_{n}": N_("decide: answer {n} of the list is right (who gave it is kept)")
        for n in range(1, ADJUDICATE_PICKS + 1)
    },
    "adjudicate.show_next": N_("show the next annotator's answer in the task's own view"),
}

# The home screen's bindings (tui/screens/home.py); set like the overlays' through
# App.set_keymap.
HOME_BINDINGS: dict[str, str] = {
    "home.open": N_("home: label the chosen batch (quitting it comes back here)"),
    "home.audit": N_("home: review your audit sample of the chosen batch"),
    "home.up": N_("home: the batch above"),
    "home.down": N_("home: the batch below"),
    "home.page_up": N_("home: a page of batches up"),
    "home.page_down": N_("home: a page of batches down"),
    "home.first": N_("home: the first batch"),
    "home.last": N_("home: the last batch"),
    "home.refresh": N_("home: read every batch's figures again now"),
    "home.quit": N_("quit from the home screen"),
}

# Inside a multi-line text field (the write editor, the rate note): read by the field itself,
# which has the keys while it is open. Enter there saves the item, as app.submit does.
TEXT_BINDINGS: dict[str, str] = {
    "text.newline": N_("in a multi-line text field: a new line"),
}

# The overlays' own bindings (help, guidelines, summary, flag, ...). Their keys reach the
# overlays' Textual bindings through App.set_keymap (see textual_keymap()).
MODAL_BINDINGS: dict[str, str] = {
    "help.close": N_("close the key list"),
    "guidelines.close": N_("close the guidelines"),
    "overlay.close": N_("close the session summary or the statistics"),
    "my_audits.close": N_("close the audits of your work"),
    "flag.cancel": N_("close the flag dialog without flagging"),
    "rescue.cancel": N_("close the rescue dialog without writing"),
    "gold.continue": N_("gold training: go on to the next item"),
    "history.close": N_("close your answers' list"),
    "history.next_filter": N_("answers' list: the next filter (all, skipped, flagged, ...)"),
    "history.prev_filter": N_("answers' list: the previous filter"),
    "history.up": N_("answers' list: the row above"),
    "history.down": N_("answers' list: the row below"),
    # Shared by the read-only overlays (keys, guidelines, summary, statistics, my audits).
    "scroll.down": N_("overlays: scroll down a line"),
    "scroll.up": N_("overlays: scroll up a line"),
    "scroll.page_down": N_("overlays: scroll down a page"),
    "scroll.page_up": N_("overlays: scroll up a page"),
    "scroll.home": N_("overlays: to the top"),
    "scroll.end": N_("overlays: to the bottom"),
    **HOME_BINDINGS,
}

_DISPLAY = {
    "question_mark": "?",
    "exclamation_mark": "!",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "space": "space",
    "comma": ",",
    "full_stop": ".",
    "slash": "/",
    "minus": "-",
    "plus": "+",
    "equals_sign": "=",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "escape": "Esc",
    "tab": "Tab",
    "delete": "Del",
    "insert": "Ins",
    "home": "Home",
    "end": "End",
}


def key_display(key: str) -> str:
    """A key as shown to the annotator: symbols for arrows, Enter and Backspace, or their
    ASCII words (`<-`, `Enter`, `Bksp`) when the terminal is not UTF-8."""
    name = key_name(key)
    if name is not None:
        return name
    if key in _DISPLAY:
        return _DISPLAY[key]
    parts = key.split("+")
    if len(parts) > 1:
        return "+".join(
            p.capitalize() if p in ("ctrl", "shift", "alt") else key_display(p) for p in parts
        )
    return key.upper() if key.startswith("f") and key[1:].isdigit() else key


def _split_keys(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [k.strip() for k in value if k.strip()]
    return None


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


@dataclass(frozen=True)
class Conflict:
    key: str
    ids: tuple[str, ...]

    def __str__(self) -> str:
        return f"key {self.key!r} is bound to {', '.join(self.ids)}"


@dataclass
class Keymap:
    bindings: dict[str, list[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    contexts: tuple[str, ...] = ("app",)  # lookup priority: the task type first, then app

    def apply_layer(self, table: Mapping[str, Any], source: str, file: Path | str) -> None:
        flat = flatten(table)
        if "labels.keys" in flat:
            keys = flat.pop("labels.keys")
            if not isinstance(keys, str):
                self.problems.append(
                    Problem(file, _("expected a string of single characters"), field="labels.keys")
                )
            else:
                for n, char in enumerate(keys[:MAX_LABEL_KEYS], start=1):
                    flat[f"label.{n}"] = char
        for binding_id, value in flat.items():
            keys_list = _split_keys(value)
            if keys_list is None:
                self.problems.append(
                    Problem(
                        file,
                        _('expected keys as a string ("a,ctrl+x") or a list'),
                        field=binding_id,
                    )
                )
                continue
            if binding_id not in self.descriptions:
                self.problems.append(
                    Problem(
                        file,
                        _("unknown binding id {binding_id!r}").format(binding_id=binding_id),
                        field=binding_id,
                        severity="warning",
                    )
                )
                continue
            self.bindings[binding_id] = keys_list
            self.sources[binding_id] = source

    def describe(self, binding_id: str) -> str:
        """What a binding does, in the interface language. The descriptions are kept as
        their English msgids; a numbered binding (label.3, adjudicate.pick_2) fills in {n}."""
        template = self.descriptions.get(binding_id, "")
        if not template:
            return ""
        text = _(template)
        if "{n}" in text:
            digits = "".join(c for c in binding_id.rsplit(".", 1)[-1] if c.isdigit())
            text = text.format(n=digits)
        return text

    def keys_for(self, binding_id: str) -> list[str]:
        return self.bindings.get(binding_id, [])

    def display(self, binding_id: str, limit: int = 2) -> str:
        return "/".join(key_display(k) for k in self.keys_for(binding_id)[:limit])

    def label_key(self, n: int) -> str | None:
        keys = self.keys_for(f"label.{n}")
        return keys[0] if keys else None

    def lookup(self, keys: Iterable[str], contexts: Iterable[str] | None = None) -> str | None:
        """The binding id a key press triggers, searching contexts in priority order."""
        wanted = list(keys)
        order = list(contexts if contexts is not None else self.contexts)
        # A key the user or the batch bound on purpose beats a default binding of the key.
        for defaults in (False, True):
            for context in order:
                prefix = context + "."
                for binding_id, bound in self.bindings.items():
                    if not binding_id.startswith(prefix):
                        continue
                    if self._is_default(binding_id) != defaults:
                        continue
                    if any(k in bound for k in wanted):
                        return binding_id
        return None

    def _is_default(self, binding_id: str) -> bool:
        source = self.sources.get(binding_id, "default")
        return source == "default" or source.endswith(" default")

    def resolved(
        self, contexts: Iterable[str] | None = None, only: Callable[[str], bool] | None = None
    ) -> dict[str, list[str]]:
        """Each active binding id (of `contexts`, passing `only`) with the keys it really
        gets: a key bound twice goes to the binding lookup() picks (bound on purpose before
        default, then context order). The screens build their Textual bindings from this, so
        there is one rule for both."""
        order = list(contexts if contexts is not None else self.contexts)
        ids = [
            b for b in self.bindings if b.split(".", 1)[0] in order and (only is None or only(b))
        ]
        among = Keymap(
            bindings={b: self.bindings[b] for b in ids}, sources=self.sources, contexts=tuple(order)
        )
        winner: dict[str, str | None] = {}
        for binding_id in ids:
            for key in self.bindings[binding_id]:
                if key not in winner:
                    winner[key] = among.lookup([key])
        return {b: [k for k in self.bindings[b] if winner.get(k) == b] for b in ids}

    def textual_keymap(self) -> dict[str, str]:
        """binding id -> "key,key" for Textual's App.set_keymap: the overlays' bindings (the
        item screens install theirs from resolved(), which settles shared keys first)."""
        return {
            b: ",".join(keys) for b, keys in self.bindings.items() if keys and b in MODAL_BINDINGS
        }

    def active_ids(self) -> list[str]:
        return [b for b in self.bindings if b.split(".", 1)[0] in self.contexts]

    def screen_ids(self) -> list[str]:
        """The bindings of the overlays, the text fields and the home screen: each acts on
        its own screen or field, never beside the item screen's keys (no conflicts there)."""
        return [b for b in self.bindings if b in MODAL_BINDINGS or b in TEXT_BINDINGS]

    def conflicts(self) -> list[Conflict]:
        by_key: dict[str, list[str]] = {}
        for binding_id in self.active_ids():
            for key in self.bindings[binding_id]:
                by_key.setdefault(key, []).append(binding_id)
        return [Conflict(k, tuple(ids)) for k, ids in sorted(by_key.items()) if len(ids) > 1]


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, OSError) as exc:
        said = toml_error_text(exc) if isinstance(exc, tomllib.TOMLDecodeError) else exc
        problems.append(Problem(path, _("cannot read keymap: {error}").format(error=said)))
        return {}


def build_keymap(
    task_type: TaskType | None,
    *,
    chosen: str | None = None,
    user_file: Path | None = None,
    batch_table: Mapping[str, Any] | None = None,
    batch_file: Path | str = "batch.toml",
    audit: bool = False,
    adjudicate: bool = False,
) -> Keymap:
    """The effective keymap of the labeling screen (or, with audit=True, the review screen,
    whose audit.* bindings come first; with adjudicate=True, the adjudication screen, whose
    adjudicate.* bindings come before those)."""
    contexts: tuple[str, ...] = ("app",)
    keymap = Keymap(
        descriptions={
            **APP_BINDINGS,
            **AUDIT_BINDINGS,
            **ADJUDICATE_BINDINGS,
            **TEXT_BINDINGS,
            **MODAL_BINDINGS,
        }
    )
    for n in range(1, MAX_LABEL_KEYS + 1):
        keymap.descriptions[f"label.{n}"] = N_("choose / toggle label {n}")
    if task_type is None or task_type.uses_label_keys:
        contexts = ("label", *contexts)
    if task_type is not None:
        for spec in task_type.bindings:
            keymap.descriptions[f"{task_type.name}.{spec.id}"] = spec.description
        contexts = (task_type.name, *contexts)
    if audit or adjudicate:
        contexts = ("audit", *contexts)
    if adjudicate:
        contexts = ("adjudicate", *contexts)
    keymap.contexts = contexts
    keymaps_dir = data_dir("keymaps")
    default_file = keymaps_dir / "default.toml"
    keymap.apply_layer(_read_toml(default_file, keymap.problems), "default", default_file)
    if task_type is not None:
        type_table = _read_toml(task_type.keymap_file, keymap.problems)
        keymap.apply_layer(
            {task_type.name: type_table}, f"{task_type.name} default", task_type.keymap_file
        )
    if chosen:
        chosen_file = keymaps_dir / f"{chosen}.toml"
        if not chosen_file.is_file():
            names = ", ".join(sorted(p.stem for p in keymaps_dir.glob("*.toml")))
            keymap.problems.append(
                Problem(
                    chosen_file,
                    _("no keymap named {chosen!r}; known: {names}").format(
                        chosen=chosen, names=names
                    ),
                )
            )
        else:
            keymap.apply_layer(_read_toml(chosen_file, keymap.problems), chosen, chosen_file)
    if user_file is not None and user_file.is_file():
        keymap.apply_layer(_read_toml(user_file, keymap.problems), "user", user_file)
    if batch_table:
        keymap.apply_layer(batch_table, "batch", batch_file)
    if task_type is not None and task_type.uses_label_keys:
        for n in range(task_type.label_key_count + 1, MAX_LABEL_KEYS + 1):
            keymap.bindings.pop(f"label.{n}", None)
    return keymap
