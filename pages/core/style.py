"""Touch targets of at least 44 px on a phone (the projector's layout is `pages.core.projector`).

Apple's Human Interface Guidelines ask for 44 × 44 pt hit targets and WCAG 2.2's 2.5.5 (AAA)
for 44 × 44 CSS px; Streamlit's default widgets are 38–40 px tall and its checkboxes and
toggles smaller still. Only narrow or touch screens get the larger size, so the coach's
projector layout is untouched. `app.py` calls `touch_targets()` once per run.
"""

from __future__ import annotations

import streamlit as st

MIN_TARGET_PX = 44  # Apple HIG 44 pt; WCAG 2.2 SC 2.5.5 44 × 44 CSS px

_CSS = f"""
<style>
@media (max-width: 900px), (pointer: coarse) {{
  [data-testid^="stBaseButton-"]:not([data-testid="stBaseButton-elementToolbar"]),
  .react-aria-ComboBox > [role="group"], [data-testid="stDateInputField"],
  [data-testid="stTextInputRootElement"], [data-testid="stNumberInputContainer"],
  [data-testid="stCheckbox"] label, [data-testid="stRadioOption"], [data-testid="stRadio"] label {{
    min-height: {MIN_TARGET_PX}px;
  }}
  [data-testid="stNumberInputStepDown"], [data-testid="stNumberInputStepUp"] {{
    min-width: {MIN_TARGET_PX}px;
    min-height: {MIN_TARGET_PX}px;
  }}
  [data-testid="stCheckbox"] label, [data-testid="stRadio"] label {{ align-items: center; }}
  /* the arrows that scroll a row of tabs wider than the phone */
  button[aria-label^="Scroll tabs"] {{
    min-width: {MIN_TARGET_PX}px;
    min-height: {MIN_TARGET_PX}px;
  }}
  /* a chart's own toolbar: zooming and panning by mouse mean nothing to a finger, so only
     the picture download and full screen stay, each a full-size target */
  .modebar-btn[data-title^="Zoom"], .modebar-btn[data-title="Pan"],
  .modebar-btn[data-title="Autoscale"], .modebar-btn[data-title="Reset axes"] {{
    display: none !important;
  }}
  .modebar-btn {{
    display: inline-flex !important;
    align-items: center;
    justify-content: center;
    min-width: {MIN_TARGET_PX}px;
    min-height: {MIN_TARGET_PX}px;
  }}
}}
</style>
"""


def touch_targets() -> None:
    """Inject the CSS (a style-only `st.html` takes no space on the page)."""
    st.html(_CSS)
