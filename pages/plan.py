"""Plan: generate from the latest assessment, view week by week, edit, adapt, export, present."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from pages import common
from runform import clock, editing, export, plantext, urlparams, watch, workouts
from runform.errors import InvalidInput
from runform.exercises import by_id, load_library
from runform.plaintext import md
from runform.services import plans as plan_service
from runform.store import assessments, athletes, plans
from runform.vocab import REGIONS

EXERCISE_COLUMNS = ["position", "exercise", "session", "name", "id", "sets", "reps", "seconds"]


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def render() -> None:
    common.require(*common.COACH_KINDS)
    con = common.db()
    athlete_id = common.selected_athlete()
    st.title("Training plan")
    if not athlete_id:
        st.info("Pick a runner in the sidebar, or record an intake for a new one first.")
        st.stop()
    profile = athletes.get(con, athlete_id)
    st.caption(f"Runner: **{md(profile.name)}**")
    past = assessments.history(con, athlete_id)
    library = by_id(load_library())

    def next_monday() -> date:
        today = clock.today()
        return today + timedelta(days=(7 - today.weekday()) % 7 or 7)

    with st.expander("Generate a new plan", expanded=False):
        if past.empty:
            st.warning("This runner has no assessment yet: record an intake first.")
        else:
            latest = past.iloc[0]
            st.write(
                f"From the assessment of **{latest.assessed_on:%Y-%m-%d}**, the runner's days "
                f"({', '.join(profile.available_days) or 'none'}), "
                f"{profile.minutes_per_day} minutes a day and equipment "
                f"({', '.join(profile.equipment) or 'none'})."
            )
            slots = common.Slots()
            with st.form("generate_plan", enter_to_submit=False):
                c1, c2, c3, c4 = st.columns(4)
                with c1:
                    weeks = st.number_input("Weeks (4–24)", value=12, step=1, key="gen_weeks")
                    slots.add("weeks")
                with c2:
                    start = st.date_input(
                        "Start", next_monday(), key="gen_start", format="YYYY-MM-DD"
                    )
                    slots.add("start")
                with c3:
                    deload = st.selectbox(
                        "Deload rhythm",
                        [4, 3, 2],
                        format_func=lambda n: f"every {n}th week ({n - 1}:1)",
                        key="gen_deload",
                    )
                    slots.add("deload_every")
                with c4:
                    ramp = st.number_input(
                        "Weekly run ramp (%)", value=10.0, step=1.0, key="gen_ramp"
                    )
                    slots.add("ramp_pct")
                pace = st.number_input(
                    "Easy pace (min/km), empty for the level's default",
                    value=None,
                    step=0.25,
                    key="gen_pace",
                )
                slots.add("easy_pace_min_per_km")
                slots.add("form")
                go = st.form_submit_button("Generate plan", type="primary", key="generate_plan_go")
            if go:
                raw = {"weeks": weeks, "start": start, "deload_every": deload, "ramp_pct": ramp}
                if pace is not None:
                    raw["easy_pace_min_per_km"] = float(pace)
                try:
                    saved = plan_service.generate(con, athlete_id, raw)
                except InvalidInput as e:
                    slots.show(e.fields, "Nothing was saved.")
                else:
                    common.data_changed()
                    st.session_state["plan_id"] = saved.plan_id
                    st.query_params["plan"] = str(saved.plan_id)
                    st.rerun()

    mine = plans.for_athlete(con, athlete_id)
    if mine.empty:
        st.info("No plan yet: generate one above.")
        st.stop()

    ids = mine["id"].tolist()
    asked = common.from_address(lambda: urlparams.number(common.address(), "plan"))
    if asked is not None and asked not in ids:
        common.bad_address(urlparams.BadAddress("plan", f"{md(profile.name)} has no plan {asked}."))
    wanted = st.session_state.get("plan_id") or asked or ids[0]
    plan_id = st.selectbox(
        "Plan",
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda i: f"Plan {i}: from {mine.set_index('id').loc[i, 'first_day']:%Y-%m-%d}",
    )
    st.session_state["plan_id"] = plan_id
    st.query_params["plan"] = str(plan_id)
    history = plans.versions(con, plan_id)
    version = st.selectbox(
        "Version",
        history["version"].tolist(),
        format_func=lambda v: f"v{v}: {history.set_index('version').loc[v, 'note']}",
        key=f"version_{plan_id}_{len(history)}",
    )
    plan = common.plan(plan_id, version)
    latest_version = int(history["version"].max())
    for note in plan.notes:
        st.caption(note)

    n_weeks = len(plan.weeks)
    asked_week = common.from_address(
        lambda: urlparams.in_range(
            "week", urlparams.number(common.address(), "week") or 1, n_weeks, "this plan"
        )
    )
    week_no = st.select_slider("Week", options=list(range(1, n_weeks + 1)), value=asked_week)
    st.query_params["week"] = str(week_no)
    week = plan.weeks[week_no - 1]
    first = plan.start + timedelta(weeks=week_no - 1)
    title = f"Week {week_no} · {week.phase}" + (" · deload" if week.deload else "")
    st.subheader(title + f" · {week.run_km:g} km")
    for note in week.notes:
        st.warning(note, icon=":material/info:")

    calendar, edit, adapt, versions_tab, exports = st.tabs(
        ["Calendar", "Edit", "Adapt this week", "Versions", "Export"]
    )

    with calendar:
        if any(workouts.structured_run(s) for s in week.sessions):
            st.download_button(
                f"Watch workouts for week {week_no} (ZIP)",
                watch.week_zip(week, profile.name),
                f"{slug(profile.name)}-week-{week_no:02d}-workouts.zip",
                "application/zip",
                key=f"fit_week_{week_no}",
                icon=":material/watch:",
                help="One FIT workout file per structured run of the week, for a watch.",
            )
        cols = st.columns(7)
        for i, col in enumerate(cols):
            day = first + timedelta(days=i)
            with col:
                st.markdown(f"**{day:%a %d %b}**")
                for pos, s in enumerate(week.sessions):
                    if s.date != day:
                        continue
                    with st.container(border=True):
                        st.markdown(f"**{plantext.session_title(s)}**")
                        if s.steps:
                            st.markdown(
                                "\n".join(f"1. {md(t)}" for t in plantext.steps_text(s.steps))
                            )
                        for e in s.exercises:
                            if e.role in ("main", "drill"):
                                st.markdown(f"- {e.name}  \n  {plantext.dose_text(e)}")
                        st.caption(s.reason)
                        if workouts.structured_run(s):
                            st.download_button(
                                "Watch workout",
                                watch.workout_fit(s, watch.workout_name(s)),
                                watch.filename(s, week_no),
                                "application/vnd.ant.fit",
                                key=f"fit_{week_no}_{pos}",
                                icon=":material/watch:",
                                help="A FIT workout file: copy it to the watch's "
                                "GARMIN/NewFiles folder, or import it in the watch's app.",
                            )
                        st.page_link(
                            common.page("present"),
                            label="Present",
                            icon=":material/slideshow:",
                            query_params={
                                "athlete": athlete_id,
                                "plan": plan_id,
                                "week": week_no,
                                "session": pos,
                            },
                        )

    with edit:
        if version != latest_version:
            st.info(f"Editing starts from v{version}; saving makes it v{latest_version + 1}.")
        sessions = pd.DataFrame(
            [
                {
                    "position": p,
                    "date": s.date,
                    "session": plantext.session_title(s),
                    "run_km": s.run_km,
                    "delete": False,
                }
                for p, s in enumerate(week.sessions)
            ]
        )
        equipment = set(profile.equipment)
        rows = [
            {
                "position": p,
                "exercise": i,
                "session": f"{s.date:%a} {plantext.kind_label(s.kind)}",
                "name": e.name,
                "id": e.id,
                "sets": e.sets,
                "reps": e.reps,
                "seconds": e.seconds,
            }
            for p, s in enumerate(week.sessions)
            for i, e in enumerate(s.exercises)
        ]
        st.markdown("**Sessions**: change the day (within the week), the distance, or delete.")
        key = f"{plan_id}_{version}_{week_no}"
        edited_sessions = st.data_editor(
            sessions,
            hide_index=True,
            disabled=["position", "session"],
            column_order=["date", "session", "run_km", "delete"],
            column_config={
                "date": st.column_config.DateColumn(
                    "Day", min_value=first, max_value=first + timedelta(days=6), format="ddd D MMM"
                ),
                "session": "Session",
                "run_km": st.column_config.NumberColumn("Run km", min_value=0, max_value=100),
                "delete": st.column_config.CheckboxColumn("Delete"),
            },
            key=f"sessions_{key}",
        )
        st.markdown("**Exercises**: change a dose.")
        edited_exercises = st.data_editor(
            # the columns named, so a week of plain runs (no exercise) still gets its table
            pd.DataFrame(rows, columns=EXERCISE_COLUMNS).astype(
                {"reps": "Int64", "seconds": "Int64"}
            ),
            hide_index=True,
            disabled=["position", "exercise", "session", "name", "id"],
            column_order=["session", "name", "sets", "reps", "seconds"],
            column_config={
                "session": "Session",
                "name": "Exercise",
                "sets": st.column_config.NumberColumn("Sets", min_value=1, max_value=10, step=1),
                "reps": st.column_config.NumberColumn("Reps", min_value=1, max_value=100, step=1),
                "seconds": st.column_config.NumberColumn("Seconds", min_value=1, max_value=3600),
            },
            key=f"exercises_{key}",
        )
        to_delete = edited_sessions["delete"].sum()
        confirm = st.checkbox(
            f"Yes, delete {to_delete} session(s)", disabled=not to_delete, key=f"confirm_{key}"
        )
        if st.button("Save changes as a new version", type="primary", key=f"save_{key}"):
            if to_delete and not confirm:
                st.error("Tick the box to confirm the deletion, then save again.")
            else:
                try:
                    new, changes = editing.apply_week_edits(
                        plan,
                        week_no,
                        edited_sessions.to_dict("records"),
                        edited_exercises.to_dict("records"),
                    )
                except editing.EditError as e:
                    st.error(f"Nothing was saved: {e}")
                else:
                    if not changes:
                        st.info("No changes to save.")
                    else:
                        v = plans.add_version(
                            con, plan_id, new, f"week {week_no}: " + "; ".join(changes)
                        )
                        common.data_changed()
                        st.success(f"Saved as v{v}. The previous version is kept.")
                        st.rerun()

        st.markdown(
            "**Swap an exercise** for an easier, harder or related one that fits the equipment."
        )
        swappable = [
            (p, i)
            for p, s in enumerate(week.sessions)
            for i, e in enumerate(s.exercises)
            if e.id in library and e.role in ("main", "drill")
        ]
        c1, c2, c3 = st.columns([3, 3, 1], vertical_alignment="bottom")
        picked = c1.selectbox(
            "Exercise",
            swappable,
            format_func=lambda pi: (
                f"{week.sessions[pi[0]].date:%a} {plantext.kind_label(week.sessions[pi[0]].kind)}"
                f" · {week.sessions[pi[0]].exercises[pi[1]].name}"
            ),
            key=f"swap_from_{key}",
        )
        options = (
            editing.alternatives(week.sessions[picked[0]].exercises[picked[1]].id, equipment)
            if picked
            else []
        )
        swap_to = c2.selectbox(
            "Swap to",
            [o.id for o in options],
            format_func=lambda i: library[i].name,
            key=f"swap_to_{key}",
        )
        if c3.button("Swap", key=f"swap_{key}", disabled=not options) and picked and swap_to:
            new = editing.swap_exercise(plan, week_no, picked[0], picked[1], swap_to)
            old_name = week.sessions[picked[0]].exercises[picked[1]].name
            v = plans.add_version(
                con, plan_id, new, f"week {week_no}: swapped {old_name} for {library[swap_to].name}"
            )
            common.data_changed()
            st.success(f"Saved as v{v}.")
            st.rerun()

    with adapt:
        with st.form(f"adapt_{key}", enter_to_submit=False):
            kind = st.radio(
                "What happened this week?",
                list(editing.ADAPT_LABELS),
                format_func=editing.ADAPT_LABELS.get,
                key=f"adapt_kind_{key}",
            )
            region = st.selectbox(
                "Region (for a niggle)",
                [None, *REGIONS],
                format_func=lambda r: "—" if r is None else r.replace("_", " "),
                key=f"adapt_region_{key}",
            )
            go = st.form_submit_button("Adapt the week", type="primary", key=f"adapt_go_{key}")
        if go:
            try:
                new = editing.adapt_week(
                    plan, week_no, kind, equipment=set(profile.equipment), region=region
                )
            except editing.EditError as e:
                st.error(f"Nothing was saved: {e}")
            else:
                label = editing.ADAPT_LABELS[kind] + (f" ({region})" if kind == "niggle" else "")
                v = plans.add_version(con, plan_id, new, f"week {week_no}: {label}")
                common.data_changed()
                st.success(f"Week {week_no} adapted and saved as v{v}.")
                st.rerun()

    with versions_tab:
        st.dataframe(
            history,
            hide_index=True,
            column_config={
                "version": "Version",
                "created_at": st.column_config.DatetimeColumn("Saved", format="YYYY-MM-DD HH:mm"),
                "note": "What changed",
            },
        )
        if version != latest_version and st.button(
            f"Restore v{version} as the current plan", key=f"restore_{key}"
        ):
            v = plans.add_version(con, plan_id, plan, f"restored v{version}")
            common.data_changed()
            st.success(f"v{version} restored as v{v}.")
            st.rerun()

    with exports:
        name = slug(profile.name)
        c1, c2, c3 = st.columns(3)
        c1.download_button(
            "Sessions (CSV)", export.to_csv(plan), f"{name}-plan.csv", "text/csv", key="dl_csv"
        )
        c2.download_button(
            "Calendar (.ics)",
            export.to_ics(plan, profile.name),
            f"{name}-plan.ics",
            "text/calendar",
            key="dl_ics",
        )
        c3.download_button(
            "Printable plan (PDF)",
            lambda: export.to_pdf(plan, profile.name),
            f"{name}-plan.pdf",
            "application/pdf",
            key="dl_pdf",
        )
        st.caption(
            "The .ics file imports into Google Calendar (Settings → Import) and Apple Calendar "
            "(File → Import); each session is an all-day event with its exercises."
        )


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
