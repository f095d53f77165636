"""Intake: record a runner's profile, pain and screens; show findings; open earlier assessments."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from pages import common
from pages.core import nav
from runform import change, clock, compare, screens, urlparams
from runform.compensations import load_rules
from runform.models import EARLIEST, AthleteProfile, Intake, error_messages
from runform.plaintext import md
from runform.services import assessments as assessments_service
from runform.store import assessments, athletes
from runform.vocab import EQUIPMENT, PAIN_WHEN, REGIONS, WEEKDAYS

NONE_SEEN = "none seen"
FLAG_OPTIONS = ["not assessed", "no", "yes"]
PAIN_ROWS = 3
MODES = {"coach": "Coach: full battery", "self": "Self-assessment: step by step"}


def _label(text: str) -> str:
    return text.replace("_", " ")


def profile_fields(prefix: str, p: AthleteProfile | None, slots: common.Slots) -> dict[str, Any]:
    """The profile widgets, pre-filled from `p` (blank for a new runner); returns raw values."""
    new = p is None
    p = p or AthleteProfile(name="Runner", available_days=["tue", "thu", "sat"])
    c1, c2, c3 = st.columns(3)
    raw: dict[str, Any] = {}
    with c1:
        raw["name"] = st.text_input("Name", "" if new else p.name, key=f"{prefix}name")
        slots.add("athlete.name")
        raw["birth_year"] = st.number_input(
            "Birth year",
            value=None if new else p.birth_year,
            step=1,
            key=f"{prefix}birth_year",
            placeholder="e.g. 1990",
        )
        slots.add("athlete.birth_year")
        sexes = [None, "female", "male", "other"]
        raw["sex"] = st.selectbox(
            "Sex",
            sexes,
            index=sexes.index(None if new else p.sex),
            format_func=lambda s: "not given" if s is None else s,
            key=f"{prefix}sex",
        )
        raw["running_years"] = st.number_input(
            "Years running",
            value=None if new else p.running_years,
            step=1.0,
            key=f"{prefix}years",
            format="%.0f",
        )
        slots.add("athlete.running_years")
    with c2:
        raw["weekly_km"] = st.number_input(
            "Current weekly km",
            value=float(p.weekly_km),
            step=1.0,
            key=f"{prefix}weekly_km",
            format="%.1f",
        )
        slots.add("athlete.weekly_km")
        raw["runs_per_week"] = st.number_input(
            "Runs per week", value=p.runs_per_week, step=1, key=f"{prefix}runs"
        )
        slots.add("athlete.runs_per_week")
        raw["longest_run_km"] = st.number_input(
            "Longest run in the last 30 days (km)",
            value=float(p.longest_run_km),
            step=0.5,
            key=f"{prefix}longest",
            format="%.1f",
        )
        slots.add("athlete.longest_run_km")
        raw["minutes_per_day"] = st.number_input(
            "Minutes available per training day",
            value=p.minutes_per_day,
            step=5,
            key=f"{prefix}minutes",
        )
        slots.add("athlete.minutes_per_day")
    with c3:
        event = st.text_input(
            "Goal event",
            "" if new or not p.goal else p.goal.event,
            key=f"{prefix}goal_event",
            placeholder="e.g. half marathon",
        )
        goal_date = st.date_input(
            "Goal date",
            None if new or not p.goal else p.goal.date,
            key=f"{prefix}goal_date",
            format="YYYY-MM-DD",
        )
        goal_km = st.number_input(
            "Goal distance (km), if the event names none",
            value=None if new or not p.goal else p.goal.distance_km,
            step=0.5,
            key=f"{prefix}goal_distance_km",
            placeholder="e.g. 30 for a trail race",
            help='"5k", "10 km", "half marathon" or "marathon" in the event are read from it.',
        )
        slots.add("athlete.goal.distance_km")
        raw["goal"] = (
            {"event": event, "date": goal_date, "distance_km": goal_km}
            if event or goal_km is not None
            else None
        )
        slots.add("athlete.goal")
        raw["available_days"] = st.multiselect(
            "Days available for training", WEEKDAYS, default=p.available_days, key=f"{prefix}days"
        )
        raw["equipment"] = st.multiselect(
            "Equipment at hand",
            EQUIPMENT,
            default=p.equipment,
            format_func=_label,
            key=f"{prefix}equipment",
        )
    raw.update(week_fields(prefix, None if new else p, slots))
    raw.update(pace_fields(prefix, None if new else p, slots))
    raw["injury_history"] = st.text_area(
        "Injury history", "" if new else p.injury_history, key=f"{prefix}injuries", height=68
    )
    slots.add("athlete.injury_history")
    return raw


def week_fields(prefix: str, p: AthleteProfile | None, slots: common.Slots) -> dict[str, Any]:
    """The long-run day and minutes on particular days, one field a row (phones)."""
    days = [None, *WEEKDAYS]
    long_day = st.selectbox(
        "Long-run day",
        days,
        index=days.index(p.long_run_day if p else None),
        format_func=lambda d: "weekend default" if d is None else d,
        key=f"{prefix}long_run_day",
        help="One of the days available for training; by default the available weekend day.",
    )
    slots.add("athlete.long_run_day")
    by_day = p.minutes_by_day if p else {}
    minutes: dict[str, int] = {}
    with st.expander("Minutes on particular days", expanded=bool(by_day)):
        st.caption(
            "Only for days chosen above as available; leave a day empty to use the minutes "
            "available per training day."
        )
        for day in WEEKDAYS:
            v = st.number_input(
                f"Minutes on {day}",
                value=by_day.get(day),  # type: ignore[call-overload]
                step=5,
                key=f"{prefix}minutes_{day}",
                placeholder="everyday minutes",
            )
            slots.add(f"athlete.minutes_by_day.{day}")
            if v is not None:
                minutes[day] = v
        slots.add("athlete.minutes_by_day")
    return {"long_run_day": long_day, "minutes_by_day": minutes}


def pace_fields(prefix: str, p: AthleteProfile | None, slots: common.Slots) -> dict[str, Any]:
    """A recent race and maximum heart rate, from which runs get pace and heart-rate targets."""
    race = p.recent_race if p else None
    with st.expander("Recent race and maximum heart rate", expanded=bool(race or (p and p.max_hr))):
        st.caption("For pace and heart-rate targets; without them runs carry effort (RPE) only.")
        km = st.number_input(
            "Race distance (km)",
            value=race.distance_km if race else None,
            step=0.1,
            format="%.1f",
            key=f"{prefix}recent_race_km",
            placeholder="e.g. 10",
            help="5, 10, 21.1 for a half marathon, 42.2 for a marathon.",
        )
        slots.add("athlete.recent_race.distance_km")
        time = st.text_input(
            "Race time (hours:minutes:seconds)",
            race.time if race else "",
            key=f"{prefix}recent_race_time",
            placeholder="00:52:30",
        )
        slots.add("athlete.recent_race.time")
        day = st.date_input(
            "Race date",
            race.date if race else None,
            min_value=EARLIEST,
            max_value=clock.today(),
            key=f"{prefix}recent_race_date",
            format="YYYY-MM-DD",
        )
        slots.add("athlete.recent_race.date")
        slots.add("athlete.recent_race")
        max_hr = st.number_input(
            "Maximum heart rate (bpm)",
            value=p.max_hr if p else None,
            step=1,
            key=f"{prefix}max_hr",
            placeholder="e.g. 185",
            help="Measured in a hard effort or a race; leave empty if not known.",
        )
        slots.add("athlete.max_hr")
    given = {
        k: v
        for k, v in {"distance_km": km, "time": time, "date": day}.items()
        if v not in (None, "")
    }
    return {"recent_race": given or None, "max_hr": max_hr}


def pain_fields(prefix: str, slots: common.Slots, current: list[dict] | None = None) -> list[dict]:
    """Up to three pain reports; a row without a region is not a report."""
    rows = []
    current = current or []
    for i in range(PAIN_ROWS):
        had = current[i] if i < len(current) else {}
        c1, c2, c3, c4 = st.columns(4)
        regions = [None, *REGIONS]
        region = c1.selectbox(
            f"Region {i + 1}",
            regions,
            index=regions.index(had.get("region")),
            key=f"{prefix}pain{i}_region",
            format_func=lambda r: "no pain" if r is None else _label(r),
        )
        sides = [None, "left", "right", "both"]
        side = c2.selectbox(
            "Side",
            sides,
            index=sides.index(had.get("side")),
            key=f"{prefix}pain{i}_side",
            format_func=lambda s: "midline / n.a." if s is None else s,
        )
        score = c3.number_input(
            "Pain 0–10", value=had.get("score"), step=1, key=f"{prefix}pain{i}_score"
        )
        when = c4.selectbox(
            "When",
            PAIN_WHEN,
            index=PAIN_WHEN.index(had.get("when", PAIN_WHEN[0])),
            key=f"{prefix}pain{i}_when",
            format_func=_label,
        )
        if region is not None:
            rows.append({"region": region, "side": side, "score": score, "when": when})
    slots.add("pain")
    return rows


def screen_field(
    spec: screens.ScreenSpec, prefix: str, current: Any, slots: common.Slots, label: bool = True
) -> Any:
    """One screen's widgets; returns its JSON value, or None when not assessed."""
    key = f"{prefix}{spec.id}"
    unit = f" ({spec.unit})" if spec.unit else ""
    helptext = f"Allowed: {spec.range_text()}. Leave empty if not assessed."
    if label:
        st.markdown(f"**{spec.name}**{unit}")
    sides = screens.SIDES if spec.bilateral else (None,)
    cols = st.columns(len(sides))
    values: dict[str, Any] = {}
    for col, side in zip(cols, sides, strict=True):
        name = side.capitalize() if side else spec.name
        had = current.get(side) if side and isinstance(current, dict) else current
        with col:
            if spec.kind == "number":
                v = st.number_input(
                    name,
                    value=had,
                    step=float(spec.step),
                    key=f"{key}_{side}",
                    help=helptext,
                    placeholder="not assessed",
                )
            elif spec.kind == "grade":
                v = st.selectbox(
                    name,
                    [None, *range(int(spec.max), int(spec.min) - 1, -1)],
                    index=0 if had is None else int(spec.max) - had + 1,
                    key=f"{key}_{side}",
                    format_func=lambda g: "not assessed" if g is None else f"{g}: {spec.grades[g]}",
                )
            elif spec.kind == "faults":
                seen = [f for f, b in (had or {}).items() if b] or ([NONE_SEEN] if had else [])
                picked = st.multiselect(
                    f"{name}: faults seen",
                    [NONE_SEEN, *spec.faults],
                    default=seen,
                    key=f"{key}_{side}",
                    format_func=_label,
                    placeholder="not assessed",
                )
                if NONE_SEEN in picked and len(picked) > 1:
                    slots.add(f"screens.{spec.id}.{side}")
                    slots[f"screens.{spec.id}.{side}"].error(
                        "Choose either 'none seen' or the faults you saw, not both."
                    )
                    values[side] = "invalid"
                    continue
                v = {f: f in picked for f in spec.faults} if picked else None
            else:
                choice = st.radio(
                    name,
                    FLAG_OPTIONS,
                    horizontal=True,
                    key=f"{key}_{side}",
                    index=0 if had is None else (2 if had else 1),
                )
                v = None if choice == "not assessed" else choice == "yes"
        if v is not None:
            values[side] = v
    slots.add(f"screens.{spec.id}")
    if not values:
        return None
    return values if spec.bilateral else values[None]


def save(raw: dict[str, Any], athlete_id: int, mode: str, slots: common.Slots) -> bool:
    """Validate and store; on error, messages go next to the fields and nothing is written."""
    try:
        parsed = Intake.model_validate(raw)
    except ValidationError as e:
        slots.show(error_messages(e), "Nothing was saved: fix the fields marked in red.")
        return False
    con = common.db()
    saved = assessments_service.record_intake(con, parsed, athlete_id or None, mode)
    common.data_changed()
    st.session_state["saved_assessment"] = saved.assessment_id
    nav.show(saved.athlete_id)
    return True


def coach_mode(athlete_id: int, profile: AthleteProfile | None) -> None:
    prefix = f"c{athlete_id}_"
    slots = common.Slots()
    catalogue = screens.load_catalogue()
    with st.form(f"coach_intake_{athlete_id}", enter_to_submit=False):
        st.subheader("Profile")
        raw_profile = profile_fields(prefix, profile, slots)
        c1, c2 = st.columns(2)
        with c1:
            assessed_on = st.date_input(
                "Assessed on", clock.today(), key=f"{prefix}assessed_on", format="YYYY-MM-DD"
            )
            slots.add("assessed_on")
        with c2:
            assessor = st.text_input(
                "Assessor",
                (assessments.last_assessor(common.db(), athlete_id) or "") if athlete_id else "",
                max_chars=80,
                key=f"{prefix}assessor",
                placeholder="who measures today",
                help="Who took the measurements. "
                + change.rule_text()
                + " Left empty, the larger figure applies.",
            )
            slots.add("assessor")
        st.subheader("Pain")
        pain = pain_fields(prefix, slots)
        values: dict[str, Any] = {}
        for group in catalogue.groups:
            st.subheader(group.name)
            for spec in catalogue.in_group(group.id):
                v = screen_field(spec, prefix, None, slots)
                if v is not None:
                    values[spec.id] = v
        slots.add("screens")
        slots.add("form")
        submitted = st.form_submit_button("Save assessment", type="primary")
    if submitted:
        raw = {
            "athlete": raw_profile,
            "assessed_on": assessed_on,
            "pain": pain,
            "screens": values,
            "assessor": assessor,
        }
        if _has_invalid(values, slots):
            return
        if save(raw, athlete_id, "coach", slots):
            st.rerun()


def _has_invalid(values: dict[str, Any], slots: common.Slots) -> bool:
    bad = any(isinstance(v, dict) and "invalid" in v.values() for v in values.values())
    if bad:
        slots["form"].error("Nothing was saved: fix the fields marked in red and save again.")
    return bad


def self_mode(athlete_id: int, profile: AthleteProfile | None) -> None:
    """One step per screen, on a phone: progress, instructions, skip, back; nothing typed lost."""
    catalogue = screens.load_catalogue()
    steps = ["profile", "pain", *[s.id for s in catalogue.screens], "review"]
    state = st.session_state.setdefault(
        f"self_{athlete_id}", {"step": 0, "athlete": None, "pain": [], "screens": {}}
    )
    step = steps[state["step"]]
    specs = catalogue.by_id()
    title = {"profile": "About you", "pain": "Pain", "review": "Review and save"}.get(
        step, specs[step].name if step in specs else step
    )
    st.progress(
        state["step"] / (len(steps) - 1), text=f"Step {state['step'] + 1} of {len(steps)}: {title}"
    )
    slots = common.Slots()
    prefix = f"s{athlete_id}_"
    with st.form(f"self_step_{athlete_id}_{step}", enter_to_submit=False):
        st.subheader(title)
        if step == "profile":
            typed = state["athlete"]
            value = profile_fields(prefix, AthleteProfile(**typed) if typed else profile, slots)
        elif step == "pain":
            st.write("Any pain now or when running? Leave the region at 'no pain' if none.")
            value = pain_fields(prefix, slots, state["pain"])
        elif step == "review":
            value = None
            assessed = [specs[s].name for s in state["screens"]]
            st.write(
                f"**{len(assessed)} of {len(specs)} tests done.** "
                + (f"Done: {', '.join(assessed)}." if assessed else "")
            )
            st.write(f"Pain reports: {len(state['pain'])}.")
        else:
            spec = specs[step]
            st.info(spec.instructions, icon=":material/straighten:")
            value = screen_field(spec, prefix, state["screens"].get(step), slots, label=False)
        slots.add("form")
        cols = st.columns(3)
        back = cols[0].form_submit_button("Back", disabled=state["step"] == 0)
        skip = cols[1].form_submit_button("Skip this test", disabled=step not in specs)
        label = "Save assessment" if step == "review" else "Next"
        forward = cols[2].form_submit_button(label, type="primary")
    if back:
        state["step"] -= 1
        st.rerun()
    if skip:
        state["screens"].pop(step, None)
        state["step"] += 1
        st.rerun()
    if not forward:
        return
    if step == "profile":
        try:
            AthleteProfile.model_validate(value)
        except ValidationError as e:
            slots.show({f"athlete.{k}": v for k, v in error_messages(e, AthleteProfile).items()})
            return
        state["athlete"] = value
    elif step == "pain":
        try:
            Intake.model_validate(
                {"athlete": state["athlete"], "assessed_on": clock.today(), "pain": value}
            )
        except ValidationError as e:
            slots.show({k: v for k, v in error_messages(e).items() if k.startswith("pain")})
            return
        state["pain"] = value
    elif step in specs:
        if value is not None:
            if _has_invalid({step: value}, slots):
                return
            try:
                state["screens"][step] = screens.check_value(step, value)
            except ValueError as e:
                path, _, msg = str(e).partition(": ")
                slots.show({path: msg})
                return
        else:
            state["screens"].pop(step, None)
    else:
        raw = {
            "athlete": state["athlete"],
            "assessed_on": clock.today(),
            "pain": state["pain"],
            "screens": state["screens"],
            "assessor": change.SELF,  # the runner measured themselves
        }
        if not save(raw, athlete_id, "self", slots):
            return
        del st.session_state[f"self_{athlete_id}"]
        st.rerun()
    state["step"] += 1
    st.rerun()


def history(athlete_id: int) -> None:
    con = common.db()
    past = assessments.history(con, athlete_id)
    if past.empty:
        st.info("No assessments yet for this runner.")
        return
    st.dataframe(
        past,
        hide_index=True,
        column_order=["assessed_on", "mode", "assessor", "high", "moderate", "info"],
        column_config={
            "assessed_on": st.column_config.DateColumn("Assessed on", format="YYYY-MM-DD"),
            "mode": "Entered by",
            "assessor": "Assessor",
            "high": "High findings",
            "moderate": "Moderate findings",
            "info": "Info findings",
        },
    )
    labels = {row.id: f"{row.assessed_on:%Y-%m-%d} ({row.mode})" for row in past.itertuples()}
    order = {row.id: n for n, row in enumerate(past.itertuples())}  # newest first
    ids = list(labels)
    c1, c2 = st.columns(2)
    chosen = c1.selectbox("Open assessment", ids, format_func=labels.get, key="open_assessment")
    earlier = [i for i in ids if i != chosen]
    base = c2.selectbox(
        "Compare with",
        [None, *earlier],
        key="compare_with",
        format_func=lambda i: "no comparison" if i is None else labels[i],
    )
    found = assessments.findings(con, chosen)
    if base is not None:
        before, after = (base, chosen) if order[base] > order[chosen] else (chosen, base)
        comparison(before, after, labels)
    common.show_findings(found)


def comparison(before: int, after: int, labels: dict[int, str]) -> None:
    """Two assessments side by side: only what the later one measured again is compared."""
    con = common.db()
    titles = load_rules().titles()
    a, b = assessments.load(con, before), assessments.load(con, after)
    was, now = compare.measured_in(a.screens), compare.measured_in(b.screens)
    status = compare.finding_status(
        assessments.findings(con, before), assessments.findings(con, after), was, now
    )
    again = compare.retested(was, now)
    st.markdown(
        f"**{labels[before]} → {labels[after]}**: re-tested {len(again)} of "
        f"{len([s for s in was if s != compare.PAIN])} screens"
        + (f" ({', '.join(compare.screen_names(again))})." if again else ".")
    )
    cols = st.columns(4)
    for col, kind in zip(cols, ["resolved", "persisting", "new", "not re-tested"], strict=True):
        rows = [s for s in status if s.status == kind]
        col.markdown(f"**{kind.capitalize()}** ({len(rows)})")
        for s in rows:
            why = (
                f": {', '.join(compare.screen_names(s.not_remeasured))} not measured again"
                if s.not_remeasured
                else ""
            )
            col.write(f"- {titles[s.finding_id]}{why}")
    same = change.same_assessor(a.assessor, b.assessor)
    table = compare.screen_changes(a.screens, b.screens, same)
    who = {
        True: f"the same assessor ({md(b.assessor or '')})",
        False: f"different assessors ({md(a.assessor or '')}, then {md(b.assessor or '')})",
        None: "an assessor not recorded for one of them",
    }[same]
    st.markdown(
        f"**Screens measured both times**, by {who}. A change counts as real only when it is "
        "larger than the minimal detectable change; the figure used is in the last column. "
        + change.rule_text()
    )
    st.dataframe(
        table.drop(columns=["screen_id"]),
        hide_index=True,
        column_config={
            "screen": "Screen",
            "side": "Side",
            "unit": "Unit",
            "before": "Before",
            "after": "After",
            "change": "Change",
            "real_change_at": "Real change above",
            "real": st.column_config.CheckboxColumn("Real change"),
            "figure": "Figure used",
        },
        column_order=[
            "screen",
            "side",
            "unit",
            "before",
            "after",
            "change",
            "real",
            "real_change_at",
            "figure",
        ],
    )


def render() -> None:
    common.require(*common.EVERYONE)
    athlete_id = common.selected_athlete()
    con = common.db()
    profile = athletes.get(con, athlete_id) if athlete_id else None
    st.title("Intake assessment")
    st.caption(f"Runner: **{md(profile.name) if profile else 'new runner'}**")

    saved = st.session_state.pop("saved_assessment", None)
    if saved is not None:
        st.success(
            "Assessment saved. Findings, highest severity first:", icon=":material/check_circle:"
        )
        common.show_findings(assessments.findings(con, saved))

    if common.current_role().kind == "runner":  # a runner's link: the step-by-step form only
        mode = "self"
    else:
        wanted = common.from_address(
            lambda: urlparams.choice(common.address(), "mode", list(MODES))
        )
        mode = st.radio(
            "Mode",
            list(MODES),
            format_func=MODES.get,
            horizontal=True,
            index=list(MODES).index(wanted or "coach"),
            key="intake_mode",
        )
    st.query_params["mode"] = mode
    new_tab, history_tab = st.tabs(["New assessment", "Earlier assessments"])
    with new_tab:
        (coach_mode if mode == "coach" else self_mode)(athlete_id, profile)
    with history_tab:
        if athlete_id:
            history(athlete_id)
        else:
            st.info("Pick a runner in the sidebar to see their earlier assessments.")


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
