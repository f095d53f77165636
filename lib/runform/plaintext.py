"""User text shown as exactly what was typed: never markdown, HTML or a Streamlit directive.

A runner's name or comment is drawn inside markdown (a bold name in a caption), so every
character markdown would act on is escaped (CommonMark lets a backslash escape any ASCII
punctuation), and line breaks in one-line text become spaces.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=\"'^@%;/?,])")


def md(text: object) -> str:
    """`text` escaped for st.markdown and friends, on one line."""
    one_line = " ".join(str(text).split())
    return _PUNCTUATION.sub(r"\\\1", one_line)


def md_block(text: object) -> str:
    """`text` escaped for st.markdown, keeping its line breaks."""
    return "  \n".join(md(line) for line in str(text).splitlines())
