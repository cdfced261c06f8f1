"""Report text, file names and URL values are data: never Markdown.

Streamlit renders Markdown (links, images, ``:color[...]`` directives, LaTeX)
in titles, captions, alerts and expander labels. Any string that came from a
report, a file or a URL goes through :func:`md_escape` before it meets one of
them; longer text is shown with ``st.text``, ``st.code`` or in tables.
"""

from __future__ import annotations

import re

# CommonMark lets a backslash escape any ASCII punctuation; Streamlit's own
# syntax (":material/x:", ":red[...]", "$math$") is made of such characters too.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")


ZERO_WIDTH_SPACE = "\u200b"


def md_escape(value: object) -> str:
    """``value`` as literal text inside Markdown (newlines become spaces).

    Backslashes stop Markdown syntax, but GitHub-flavoured Markdown also turns
    bare ``https://...``, ``www.`` and e-mail addresses into links; a zero-width
    space inside each keeps them plain text.
    """
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    text = _SPECIAL.sub(r"\\\1", text)
    text = text.replace("//", "/" + ZERO_WIDTH_SPACE + "/")
    text = re.sub(r"(?i)\bwww\\\.", "www" + ZERO_WIDTH_SPACE + r"\\.", text)
    return text.replace("@", "@" + ZERO_WIDTH_SPACE)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 incident``, ``2 incidents``, ``1,000 incidents`` (with thousands separators)."""
    return f"{count:,} {noun if count == 1 else plural_form or noun + 's'}"
