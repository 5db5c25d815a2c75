"""Seeded random key sequences for the key-burst torture test (issue 9), in tmux key names.

A sequence is a list of Steps. Each step is sent with ONE `tmux send-keys` call, so its keys
arrive together (one packet), then the sender waits `pause` seconds. Sequences mix bursts
(a packet of keys, or keys 0-50 ms apart) with slow stretches (keys 200-400 ms apart), and draw
from: the task type's own keys, label digits, app keys, overlay keys (help, guidelines,
summary, stats, my audits, flag), typed text, Esc-combos (Escape and another key in one packet)
and unbound keys.

The keys come from the keymaps themselves (task_types/<type>/keys.toml and
keymaps/default.toml), converted from Textual key names to tmux key names. Keys that would
quit, suspend or start another program ($EDITOR, a media viewer, an audio player) are never
sent. The same (task type, seed) always gives the same sequence: `generate(type, seed)`.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"

TASK_TYPES = (
    "binary",
    "classify",
    "spans",
    "rate",
    "compare",
    "write",
    "image",
    "video",
    "audio",
)

# Binding actions that start another program or leave the app: never sent.
LAUNCHING_ACTIONS = {"external", "play"}
# tmux keys never sent, whatever they are bound to: quit, suspend, and ctrl+o (the media
# types' "open in a viewer"). Ctrl+c is sent: it never quits (it says which key does).
FORBIDDEN_KEYS = {"C-q", "C-z", "C-o", "C-\\"}

# Textual key names that are one character.
_CHAR_NAMES = {
    "question_mark": "?",
    "exclamation_mark": "!",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "comma": ",",
    "full_stop": ".",
    "slash": "/",
    "backslash": "\\",
    "colon": ":",
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "underscore": "_",
    "asterisk": "*",
    "number_sign": "#",
    "dollar_sign": "$",
    "percent_sign": "%",
    "ampersand": "&",
    "apostrophe": "'",
    "quotation_mark": '"',
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "at": "@",
    "circumflex_accent": "^",
    "grave_accent": "`",
    "tilde": "~",
    "vertical_line": "|",
}
# Textual key names of special keys → tmux key names.
_SPECIAL = {
    "enter": "Enter",
    "space": "Space",
    "backspace": "BSpace",
    "escape": "Escape",
    "tab": "Tab",
    "delete": "DC",
    "insert": "IC",
    "home": "Home",
    "end": "End",
    "pageup": "PPage",
    "pagedown": "NPage",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
}
_MODIFIERS = {"ctrl": "C-", "shift": "S-", "alt": "M-", "meta": "M-"}
# Single characters that tmux would read as something else than the key: ";" ends a tmux
# command, and a leading "-" is an option.
_UNSENDABLE = {";", "-"}


def tmux_key(textual: str) -> str | None:
    """The tmux key name of a Textual key name ("ctrl+q" → "C-q"), or None if not sendable."""
    name = textual.strip()
    if not name:
        return None
    parts = name.split("+")
    *modifiers, base = parts
    prefix = ""
    for modifier in modifiers:
        if modifier not in _MODIFIERS:
            return None
        prefix += _MODIFIERS[modifier]
    if len(base) == 1:
        key = base
    elif base in _CHAR_NAMES:
        key = _CHAR_NAMES[base]
    elif base in _SPECIAL:
        key = _SPECIAL[base]
    elif base[0] == "f" and base[1:].isdigit():
        key = base.upper()
    else:
        return None
    if not prefix and key in _UNSENDABLE:
        return None
    if prefix == "S-" and len(key) == 1:
        return None  # shift+letter is the capital letter itself in the keymaps ("N")
    return prefix + key


def _keys_of(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    out = []
    for name in value.split(","):
        key = tmux_key(name)
        if key is not None and key not in FORBIDDEN_KEYS:
            out.append(key)
    return out


def _read_toml(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class KeyPools:
    """What one task type's sequences are drawn from (tmux key names)."""

    own: tuple[str, ...]  # the type's own bindings (launching ones left out)
    labels: tuple[str, ...]  # label keys: digits, and the first letter label keys
    app: tuple[str, ...]  # skip, undo, back, forward, reveal, scroll: no overlay
    submit: tuple[str, ...]
    skip: tuple[str, ...]
    overlays: tuple[tuple[str, tuple[str, ...]], ...]  # (open key, keys that close it)
    flag: tuple[str, ...]
    text: str  # letters typed as text; none is a key that starts a program
    unbound: tuple[str, ...]
    excluded: tuple[str, ...]  # keys left out because they quit or start a program


def key_pools(task_type: str) -> KeyPools:
    default = _read_toml(REPO / "keymaps" / "default.toml")
    own_table = _read_toml(REPO / "task_types" / task_type / "keys.toml")
    app = default.get("app", {})
    assert isinstance(app, dict)

    excluded: set[str] = set(FORBIDDEN_KEYS)
    own: list[str] = []
    for action, value in own_table.items():
        keys = _keys_of(value)
        if action in LAUNCHING_ACTIONS:
            excluded.update(keys)
        else:
            own.extend(keys)
    for action in ("quit",):
        excluded.update(_keys_of(app.get(action)))
    own = [k for k in dict.fromkeys(own) if k not in excluded]
    if len(own) < 4:  # classify: the labels are its keys
        own.extend("123456")

    def app_keys(*actions: str) -> list[str]:
        out: list[str] = []
        for action in actions:
            out.extend(k for k in _keys_of(app.get(action)) if k not in excluded)
        return out

    label_letters = ""
    labels_table = default.get("labels", {})
    if isinstance(labels_table, dict) and isinstance(labels_table.get("keys"), str):
        label_letters = "".join(c for c in labels_table["keys"] if c.isalpha())
    labels = [*"0123456789", *label_letters[:4]]
    labels = [k for k in labels if k not in excluded]

    overlays: list[tuple[str, tuple[str, ...]]] = []
    for action in ("help", "guidelines", "summary", "stats", "my_audits"):
        for key in app_keys(action):
            # Escape closes every overlay; help, guidelines, summary and stats also close
            # on their own key (and "q").
            closers = ("Escape", "Escape", key, "q")
            overlays.append((key, closers))

    text = "".join(c for c in "abcdefghijklmnopqrstuvwxyz" if c not in excluded)
    unbound = [k for k in ("%", "~", "F9", "F11", "F12", "@", "^", "`") if k not in excluded]
    return KeyPools(
        own=tuple(own),
        labels=tuple(labels),
        app=tuple(
            app_keys(
                "skip", "undo", "back", "forward", "reveal", "scroll_down", "scroll_up", "interrupt"
            )
        ),
        submit=tuple(app_keys("submit")) or ("Enter",),
        skip=tuple(app_keys("skip")) or ("Space",),
        overlays=tuple(overlays),
        flag=tuple(app_keys("flag")),
        text=text,
        unbound=tuple(unbound),
        excluded=tuple(sorted(excluded)),
    )


@dataclass(frozen=True)
class Step:
    keys: tuple[str, ...]  # sent in one `tmux send-keys` call
    pause: float  # seconds to wait after it
    kind: str  # slow | rapid | packet | tail


def _atoms(rng: random.Random, pools: KeyPools) -> list[tuple[str, ...]]:
    """One thing a user might do: a list of atoms, each sent in one call (an Esc-combo is
    one atom of two keys)."""
    roll = rng.random()
    if roll < 0.04:
        # Out of any field, then skip, twice if a changed draft asks first: an answer that
        # every type gives, so each run has answers whose item can be checked.
        return [("Escape",), (rng.choice(pools.skip),), (rng.choice(pools.skip),)]
    roll = rng.random()
    if roll < 0.34 and pools.own:
        return [(rng.choice(pools.own),)]
    if roll < 0.46:
        return [(rng.choice(pools.labels),)]
    if roll < 0.56:
        return [(rng.choice(pools.submit),)]
    if roll < 0.66:
        return [(rng.choice(pools.app),)]
    if roll < 0.76:  # typed text (an editor may be open, or not)
        word = "".join(rng.choice(pools.text) for _ in range(rng.randint(2, 8)))
        atoms: list[tuple[str, ...]] = [(c,) for c in word]
        if rng.random() < 0.3:
            atoms.append(("Space",))
        return atoms
    if roll < 0.84:  # Esc-combo: Escape and the next key in one packet
        follow = rng.choice(
            [*pools.submit, *pools.own, *pools.labels, *pools.app, *pools.text[:6]]
            if pools.own
            else [*pools.submit, *pools.labels, *pools.app]
        )
        return [("Escape", follow)]
    if roll < 0.88:
        return [("Escape",)]
    if roll < 0.93:
        return [(rng.choice(pools.unbound),)]
    if roll < 0.965 and pools.overlays:
        key, closers = rng.choice(pools.overlays)
        atoms = [(key,)]
        for _ in range(rng.randint(0, 3)):
            atoms.append((rng.choice([*pools.own, *pools.labels, "Down", "Up"]),))
        if rng.random() < 0.8:
            atoms.append((rng.choice(closers),))
        return atoms
    if pools.flag:
        atoms = [(rng.choice(pools.flag),)]
        if rng.random() < 0.6:  # pick a reason, type a note, save
            atoms.append((str(rng.randint(1, 5)),))
            atoms.extend((c,) for c in "".join(rng.choice(pools.text) for _ in range(3)))
            atoms.append(("Enter",))
        elif rng.random() < 0.7:
            atoms.append(("Escape",))
        return atoms
    return [("Escape",)]


def generate(task_type: str, seed: int, min_keys: int = 200) -> list[Step]:
    """At least `min_keys` keys for `task_type`, replayable from `seed`."""
    rng = random.Random(f"key-burst:{task_type}:{seed}")
    pools = key_pools(task_type)
    steps: list[Step] = []
    count = 0
    slow = rng.random() < 0.5
    while count < min_keys:
        atoms: list[tuple[str, ...]] = []
        want = rng.randint(3, 7) if slow else rng.randint(6, 20)
        while sum(len(a) for a in atoms) < want:
            atoms.extend(_atoms(rng, pools))
        if slow:
            steps.extend(Step(a, rng.uniform(0.2, 0.4), "slow") for a in atoms)
        elif rng.random() < 0.5:  # one packet: every key of the burst in one call
            keys = tuple(k for a in atoms for k in a)
            steps.append(Step(keys, rng.uniform(0.0, 0.05), "packet"))
        else:  # keys 0-50 ms apart
            steps.extend(Step(a, rng.uniform(0.0, 0.05), "rapid") for a in atoms)
        count += sum(len(a) for a in atoms)
        slow = not slow
    return steps


def count_keys(steps: list[Step]) -> int:
    return sum(len(s.keys) for s in steps)


def describe(steps: list[Step]) -> str:
    """One line per step, for a failure message or a replay by hand."""
    return "\n".join(f"{s.kind:<6} {s.pause:5.3f}s  {' '.join(s.keys)}" for s in steps)


# -- samples ---------------------------------------------------------------------------------
def variants(task_type: str) -> list[str]:
    """The sample batches of a task type: <type>-en, <type>-nl (those that exist)."""
    return [
        p.name
        for p in sorted(SAMPLES.glob(f"{task_type}-*"))
        if p.is_dir() and (p / "tasks.jsonl").is_file()
    ]


def sample_for(task_type: str, seed: int) -> str:
    """The sample a seed runs on: seeds alternate the language variants across types."""
    names = variants(task_type)
    if not names:
        raise LookupError(f"no sample batch samples/{task_type}-*")
    return names[(seed + TASK_TYPES.index(task_type)) % len(names)]
