"""Limits shared by the keymap and the task types that use label keys."""

MAX_LABEL_KEYS = 40
