"""Read-only deployments: one switch turns off every page and control that writes data.

A team serving the dashboard to readers sets ``read_only = true`` in
``data/settings.toml`` or ``INCIDENTS_READ_ONLY=1`` in the server's
environment. Pages that write are left out of the navigation (see
:mod:`incidents.ui.pages`, ``PageInfo.writes``), and any control that writes
inside a page that reads asks :func:`writes_allowed` first, so a new writing
page or button honours the switch by calling it.
"""

from __future__ import annotations

import os

import streamlit as st

from incidents.config import load_settings

READ_ONLY_NOTE = ("This dashboard is read-only: adding reports, reviewing and corrections are switched off "
                  "by its administrator (setting read_only / INCIDENTS_READ_ONLY).")


def read_only() -> bool:
    """Whether this deployment forbids writes (settings file or environment).

    A settings file that cannot be read falls back to the environment alone,
    so a broken file never opens the writing pages of a read-only server
    whose switch is in the environment.
    """
    try:
        return load_settings().read_only
    except ValueError:
        value = os.environ.get("INCIDENTS_READ_ONLY", "")
        return value.strip().lower() in {"1", "true", "yes", "on"}


def writes_allowed(what: str = "Changes") -> bool:
    """True when writing is allowed; else say so on the page and return False.

    Call it before drawing a control that writes (``if writes_allowed("Place
    corrections"): ...``); ``what`` names what is switched off.
    """
    if not read_only():
        return True
    st.caption(f"{what}: switched off on this read-only dashboard.")
    return False
