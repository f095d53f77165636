"""Present's exercise timer: every set, both sides of a one-sided exercise and the rests, counted
down in the browser (smooth: the page does not rerun every second, so it never stalls or jumps).

The phases come from `runform.steptimer.exercise_phases`; a phase without seconds (reps without
a tempo in the library) waits for Next. Start, Pause, Next and Reset work in the browser alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from runform import steptimer
from runform.paces import clock

#: The timer's page, its sizes and phases filled in by `html`.
_PAGE = (Path(__file__).parent / "settimer.html").read_text(encoding="utf-8")


def html(phases: list[steptimer.Phase], *, large: bool) -> str:
    """The timer's page: the phases as data, the type larger on a projector."""
    data = [{"kind": p.kind, "label": p.label, "note": p.note, "s": p.duration_s} for p in phases]
    sizes = ("2rem", "6rem", "1.5rem") if large else ("1.4rem", "4rem", "1.1rem")
    return (
        _PAGE.replace("__PHASES__", json.dumps(data).replace("</", "<\\/"))
        .replace("__LABEL__", sizes[0])
        .replace("__CLOCK__", sizes[1])
        .replace("__SMALL__", sizes[2])
    )


def exercise_timer(phases: list[steptimer.Phase], *, large: bool) -> None:
    """The timer, then the whole sequence in words (and its total when every phase is timed)."""
    st.iframe(html(phases, large=large), height=300 if large else 250)
    total = steptimer.total_seconds(phases)
    with st.expander(
        f"All {len(phases)} phases" + (f" · {clock(total)} in all" if total is not None else "")
    ):
        st.markdown("\n".join(f"1. {p.text()}" + _secs(p) for p in phases))


def _secs(phase: steptimer.Phase) -> str:
    return f" · {phase.duration_s} s" if phase.duration_s is not None else ""


_COUNTDOWN = """<!doctype html><html><body style="margin:0;font-family:sans-serif;color:#262730">
<div style="font-size:0.9rem;color:#555">Time left</div>
<div id="c" data-testid="step-clock"
  style="font-size:__SIZE__;font-weight:700;line-height:1.1;font-variant-numeric:tabular-nums">
</div><script>
const end = performance.now() + __LEFT__ * 1000;
function fmt(s) { s = Math.max(0, Math.ceil(s - 1e-6)); const m = Math.floor(s / 60);
  return m + ":" + String(s % 60).padStart(2, "0"); }
function draw() {
  document.getElementById("c").textContent = fmt((end - performance.now()) / 1000);
}
setInterval(draw, 100); draw();
</script></body></html>"""


def countdown(left_s: float, *, large: bool) -> None:
    """A running step's time left, counted down in the browser from `left_s` (the page reruns
    only when the step ends, so the count never stalls or jumps)."""
    page = _COUNTDOWN.replace("__LEFT__", f"{left_s:.3f}")
    st.iframe(page.replace("__SIZE__", "5rem" if large else "3rem"), height=140 if large else 100)
