"""Where things are: data folders shipped with labeldesk, the user's config and cache."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # .../tui


def data_dir(name: str) -> Path:
    """keymaps/ or samples/: beside the package in a checkout, inside it in a wheel."""
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_data" / name


def config_dir() -> Path:
    override = os.environ.get("LABELDESK_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("labeldesk", appauthor=False))


def cache_dir() -> Path:
    override = os.environ.get("LABELDESK_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("labeldesk", appauthor=False))


def state_dir() -> Path:
    """Small state kept between runs (the folders opened before, for the home screen)."""
    override = os.environ.get("LABELDESK_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("labeldesk", appauthor=False))
