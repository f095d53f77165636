"""What a saved session changed: the saved message, the watch file's notes, the next dose
(each decision with its action and rule), and the plan change waiting for the coach.

The message survives the rerun after a save (`remember`, then `saved_message` shows it once).
"""

from __future__ import annotations

import streamlit as st

from pages.core.run import FORM, Slots
from runform.progression import RUN_VOLUME, Decision, Progression, worth_a_line
from runform.services.training_log import LogSaved
from runform.vocab import ACTION_LABELS, label

_SAVED = "log_saved"
BADGE_COLOURS = {"advance": "green", "hold": "gray", "regress": "orange", "pause": "red"}


def badge(action: str) -> str:
    """An action as a coloured badge: advance green, hold grey, regress orange, pause red."""
    return f":{BADGE_COLOURS.get(action, 'gray')}-badge[{label(ACTION_LABELS, action)}]"


def remember(saved: LogSaved) -> None:
    """Keep a save's outcome for the next run (the page reruns to show the new state)."""
    st.session_state[_SAVED] = saved


def saved_message() -> None:
    """The last save's outcome, once: saved, what the watch file said, the next dose."""
    saved: LogSaved | None = st.session_state.pop(_SAVED, None)
    if saved is None:
        return
    st.success(f"Session saved (log {saved.log_id}).", icon=":material/check_circle:")
    for note in saved.file_notes:
        st.info(f"From the watch file: {note}.", icon=":material/watch:")
    if saved.proposal_problem:
        st.warning(
            f"The next dose could not be proposed this time: {saved.proposal_problem}. The "
            "session is saved; the proposal is made again with the next log.",
            icon=":material/sync_problem:",
        )
    if saved.next_dose is not None:
        decisions(saved.next_dose, set(saved.logged))


def decisions(dose: Progression, logged: set[str]) -> None:
    """Each decision that changes something or concerns what was `logged`: its action, what
    changed (or the dose kept), why, and the rule; the other holds in one line."""
    st.markdown("**Next dose**")
    shown, unchanged = worth_a_line(dose.decisions, logged)
    if not shown:
        st.caption("No change: the plan stands as it is.")
    for d in shown:
        change = d.before if d.before == d.after else f"{d.before} → {d.after}"
        st.markdown(f"- {badge(d.action)} **{d.name}**: {change}  \n  {d.reason} _Rule: {d.rule}._")
    if unchanged:
        st.caption(unchanged_line(unchanged))
    for note in dose.notes:
        st.caption(note)


def unchanged_line(unchanged: list[Decision]) -> str:
    """The holds of what was not logged, in one line ("18 exercises unchanged: not logged in
    this session")."""
    n = sum(d.subject != RUN_VOLUME for d in unchanged)
    what = [f"{n} exercise{'' if n == 1 else 's'}"] if n else []
    what += ["the running"] if len(unchanged) > n else []
    return f"{' and '.join(what).capitalize()} unchanged: not logged in this session."


def decided_message(version: int, accept: bool, current: int) -> str:
    """What the coach's decision made of the plan: which version is now current."""
    if accept:
        return f"Change accepted: v{version} is now the current plan."
    return f"Change rolled back: v{current} stays the current plan (v{version} is kept, unused)."


def pending(version: int, note: str, *, coach: bool) -> tuple[bool, Slots] | None:
    """A proposed version waiting for the coach: the coach's decision (True to accept, False to
    roll back) with the slot for what went wrong, or None (no click yet, or a runner)."""
    with st.container(border=True):
        st.markdown(f"**Plan change waiting for the coach** (v{version}): {note}")
        if not coach:
            st.caption("Your coach reviews this change.")
            return None
        c1, c2 = st.columns(2)
        accept = c1.button("Accept the change", type="primary", key=f"accept_{version}")
        reject = c2.button("Roll back (keep the current plan)", key=f"reject_{version}")
        slots = Slots()
        slots.add(FORM)
    if accept or reject:
        return accept, slots
    return None
