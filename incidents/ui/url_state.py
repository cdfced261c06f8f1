"""Page-level state kept in the URL beside the sidebar filters: the timeline's
period (``?per=week``) and the incident open in the detail view (``?incident=ID``).

Like the filters, a value from a shared link is validated: a bad one is
noticed on the page (never a traceback) and dropped. The sidebar rewrites the
filter part of the URL on every run and keeps these parameters as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import streamlit as st

from incidents.ui.text import md_escape
from incidents.views.filter_spec import shown

PERIOD_PARAM = "per"
INCIDENT_PARAM = "incident"
PAGE_PARAMS = (PERIOD_PARAM, INCIDENT_PARAM)
INCIDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,79}")
INCIDENTS_PAGE = "incidents"  # the url_path of the Incidents page (incidents.ui.pages)


def kept_params() -> dict[str, str]:
    """The page parameters in the current URL (the sidebar writes them back unchanged)."""
    return {name: st.query_params[name] for name in PAGE_PARAMS if name in st.query_params}


def take_from_url(param: str, key: str, valid: Callable[[str], str | None]) -> None:
    """Seed widget ``key`` from ``?param=`` when the link brings a new value.

    ``valid`` returns None for a good value, else the reason it was ignored,
    which is shown as a warning. Each URL value is taken once, so the widget
    stays free to change afterwards.
    """
    value = st.query_params.get(param)
    seen = f"_url_seen_{param}"
    if value is None or st.session_state.get(seen) == value:
        return
    st.session_state[seen] = value
    problem = valid(value)
    if problem is None:
        st.session_state[key] = value
    else:
        st.session_state[f"_url_problem_{param}"] = f"Ignored {param}={shown(value)}: {problem}"


def show_problem(param: str) -> None:
    """The notice for an ignored ``?param=`` value, if any (once)."""
    problem = st.session_state.pop(f"_url_problem_{param}", None)
    if problem:
        st.warning(md_escape(problem), icon=":material/link_off:")


def write(param: str, value: str | None) -> None:
    """Put ``?param=value`` in the address bar (remove it for None), keeping the rest."""
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value
    st.session_state[f"_url_seen_{param}"] = value


def incident_id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an incident id (None when its form is fine)."""
    return None if INCIDENT_ID.fullmatch(value) else "not an incident id"


def incident_link(event_id: str) -> str:
    """A link that opens one incident on the Incidents page (relative to the app's pages)."""
    return f"./{INCIDENTS_PAGE}?{INCIDENT_PARAM}={quote(str(event_id), safe='')}"


def absolute_incident_link(event_id: str) -> str:
    """The incident's link with this server's address, for copying into notes and mail."""
    base = ""
    try:
        url = str(st.context.url or "")
        base = url.split("?")[0].rsplit("/", 1)[0] if url else ""
    except Exception:  # noqa: BLE001 - no browser context (tests): the relative link is still useful
        base = ""
    return incident_link(event_id).replace("./", (base + "/") if base else "/", 1)
