"""Log: today's planned sessions first, unplanned sessions, watch files, check-ins, history."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st
from pydantic import ValidationError

from pages import common
from runform import clock, fitfile, plaintext, plantext, scales, urlparams
from runform.access import new_token
from runform.models import (
    Comment,
    MorningPain,
    PlannedRef,
    PlanSession,
    SessionLog,
    Wellness,
    error_messages,
)
from runform.services import training_log
from runform.store import logs, plans
from runform.vocab import KIND_LABELS, REGIONS, RUN_KINDS, WELLNESS_ITEMS

KINDS = list(KIND_LABELS)
SCALES = scales.load()


def rpe_label(v: int) -> str:
    return SCALES.rpe.label(v)


def pain_rows(prefix: str, had: list[dict]) -> list[dict[str, Any]]:
    out = []
    for i in range(2):
        h = had[i] if i < len(had) else {}
        c1, c2, c3, c4 = st.columns(4)
        regions = [None, *REGIONS]
        region = c1.selectbox(
            f"Pain {i + 1}: region",
            regions,
            index=regions.index(h.get("region")),
            format_func=lambda r: "none" if r is None else r.replace("_", " "),
            key=f"{prefix}pain{i}_region",
        )
        sides = [None, "left", "right", "both"]
        side = c2.selectbox(
            "Side",
            sides,
            index=sides.index(h.get("side")),
            format_func=lambda s: "n.a." if s is None else s,
            key=f"{prefix}pain{i}_side",
        )
        score = c3.number_input(
            "Pain 0–10", value=h.get("score"), step=1, key=f"{prefix}pain{i}_score"
        )
        whens = ["during_run", "after_run"]
        when = c4.selectbox(
            "When",
            whens,
            index=whens.index(h.get("when", "during_run")),
            format_func=lambda w: w.replace("_", " "),
            key=f"{prefix}pain{i}_when",
        )
        if region is not None:
            out.append({"region": region, "side": side, "score": score, "when": when})
    return out


def log_form(
    prefix: str,
    athlete_id: int,
    day: date,
    planned: PlanSession | None = None,
    ref: PlannedRef | None = None,
    existing: SessionLog | None = None,
) -> tuple[dict[str, Any], bytes | None, common.Slots] | None:
    """The session form; returns the raw log, an uploaded watch file and the error slots."""
    slots = common.Slots()
    base = existing or planned
    with st.form(f"{prefix}form", enter_to_submit=False):
        if planned is None:
            kind = st.selectbox(
                "Kind of session",
                KINDS,
                index=KINDS.index(existing.kind) if existing else KINDS.index("easy_run"),
                format_func=plantext.kind_label,
                key=f"{prefix}kind",
            )
        else:
            kind = planned.kind
        done = []
        items = (
            [(e.exercise_id, e, None) for e in existing.exercises]
            if existing
            else [(e.id, None, e) for e in planned.exercises if e.role in ("main", "drill")]
            if planned
            else []
        )
        if items:
            st.markdown("**Exercises**: what you did (top set).")
        for pos, (ex_id, logged, plan_ex) in enumerate(items):
            name = plan_ex.name if plan_ex else ex_id.replace("_", " ")
            c0, c1, c2, c3, c4 = st.columns([3, 1, 1, 1, 1], vertical_alignment="bottom")
            c0.markdown(
                f"{name}" + (f"  \n:gray[{plantext.dose_text(plan_ex)}]" if plan_ex else "")
            )
            src = logged or plan_ex
            timed = src.seconds is not None and src.reps is None
            sets = c1.number_input("Sets", value=src.sets, step=1, key=f"{prefix}ex{pos}_sets")
            amount = c2.number_input(
                "Seconds" if timed else "Reps",
                value=src.seconds if timed else src.reps,
                step=1,
                key=f"{prefix}ex{pos}_amount",
            )
            load_kg = c3.number_input(
                "Load kg",
                value=logged.load_kg if logged else None,
                step=0.5,
                key=f"{prefix}ex{pos}_load",
            )
            skipped = c4.checkbox(
                "Skipped", value=bool(logged and logged.skipped), key=f"{prefix}ex{pos}_skip"
            )
            done.append(
                {
                    "exercise_id": ex_id,
                    "position": pos,
                    "sets": 0 if skipped else sets,
                    "reps": None if timed else amount,
                    "seconds": amount if timed else None,
                    "load_kg": load_kg,
                    "skipped": skipped,
                }
            )
        slots.add("exercises")
        c1, c2 = st.columns(2)
        minutes = c1.number_input(
            "Duration (minutes)",
            value=float(base.minutes) if base else 45.0,
            step=5.0,
            key=f"{prefix}minutes",
        )
        slots.add("minutes")
        with c2:
            rpe = st.select_slider(
                "Session effort (RPE, CR-10)",
                options=list(range(11)),
                value=int(existing.rpe) if existing else 4,
                format_func=rpe_label,
                key=f"{prefix}rpe",
                help=SCALES.rpe.source,
            )
        slots.add("rpe")
        run = kind in RUN_KINDS
        run_fields: dict[str, Any] = {}
        upload = None
        if run:
            st.markdown("**Run**: type the figures, or upload the watch file (.fit).")
            c1, c2, c3, c4 = st.columns(4)
            run_fields["run_km"] = c1.number_input(
                "Distance km",
                value=float(base.run_km) if base else None,
                step=0.5,
                key=f"{prefix}km",
            )
            run_fields["cadence_spm"] = c2.number_input(
                "Cadence spm",
                value=getattr(existing, "cadence_spm", None),
                step=1.0,
                key=f"{prefix}cad",
            )
            run_fields["ground_contact_ms"] = c3.number_input(
                "Ground contact ms",
                value=getattr(existing, "ground_contact_ms", None),
                step=1.0,
                key=f"{prefix}gct",
            )
            run_fields["vertical_oscillation_cm"] = c4.number_input(
                "Vertical oscillation cm",
                value=getattr(existing, "vertical_oscillation_cm", None),
                step=0.1,
                key=f"{prefix}vo",
            )
            for field in run_fields:
                slots.add(field)
            if existing is None:
                upload = st.file_uploader(
                    f"Watch file (.fit, up to {fitfile.MAX_FILE_MB} MB)",
                    type=["fit"],
                    key=f"{prefix}fit",
                    max_upload_size=fitfile.MAX_FILE_MB,
                )
                slots.add("fit")
        pain = pain_rows(prefix, [p.model_dump() for p in existing.pain] if existing else [])
        slots.add("pain")
        note = st.text_area(
            "Note", existing.note if existing else "", key=f"{prefix}note", height=68
        )
        slots.add("note")
        slots.add("form")
        label = "Save changes" if existing else "Save log"
        if not st.form_submit_button(label, type="primary", key=f"{prefix}save"):
            return None
    raw = {
        "athlete_id": athlete_id,
        "day": day,
        "kind": kind,
        "minutes": minutes,
        "rpe": float(rpe),
        "exercises": done,
        "pain": pain,
        "note": note,
        "planned": ref.model_dump()
        if ref
        else (existing.planned.model_dump() if existing and existing.planned else None),
        **{k: v for k, v in run_fields.items() if v is not None},
    }
    if existing is not None and existing.fit_sha256:
        raw["fit_sha256"] = existing.fit_sha256
    if existing is None:  # a retried or double-clicked submission finds the log it wrote
        raw["submission_id"] = st.session_state.setdefault(f"{prefix}submission", new_token())
    return raw, (upload.getvalue() if upload else None), slots


def save_log(
    raw: dict[str, Any], fit: bytes | None, slots: common.Slots, log_id: int | None = None
) -> bool:
    """Validate, then store; on any error the form keeps what was typed and nothing is written."""
    con = common.db()
    records = None
    st.session_state.pop("fit_notes", None)  # only the notes of the file saved now
    if fit is not None:
        try:
            summary, records = fitfile.decode(fit)
        except fitfile.FitError as e:
            slots["fit"].error(f"{e}. Nothing was saved.")
            return False
        raw.update(
            {
                k: v
                for k, v in summary.model_dump().items()
                if k in SessionLog.model_fields and v is not None
            }
        )
        raw["run_km"] = round(summary.distance_km, 2)
        raw["minutes"] = round(summary.minutes, 1)
        raw["fit_sha256"] = summary.sha256
        if summary.notes:
            st.session_state["fit_notes"] = list(summary.notes)
    try:
        log = SessionLog.model_validate(raw)
    except ValidationError as e:
        slots.show(
            error_messages(e, SessionLog), "Nothing was saved: fix the fields marked in red."
        )
        return False
    try:
        if log_id is None:
            new_id = logs.save(con, log, records)
            result, problem = training_log._propose_after(con, log.athlete_id, log.day)
        else:
            logs.update(con, log_id, log)
            new_id = log_id
            result, problem = training_log._propose_after(con, log.athlete_id, log.day)
    except logs.DuplicateFile as e:
        slots["fit"].error(str(e))
        return False
    finally:
        common.data_changed()
    st.session_state["log_saved"] = (new_id, result.model_dump() if result else None, problem)
    for key in [k for k in st.session_state if str(k).endswith("submission")]:
        del st.session_state[key]  # the next submission is a new one
    return True


def show_progression(con, plan_id: int | None) -> None:
    saved = st.session_state.pop("log_saved", None)
    if saved:
        log_id, result, problem = saved
        st.success(f"Session saved (log {log_id}).", icon=":material/check_circle:")
        for note in st.session_state.pop("fit_notes", []):
            st.info(f"From the watch file: {note}.", icon=":material/watch:")
        if problem:
            st.warning(
                f"The next dose could not be proposed this time: {problem}. The session is "
                "saved; the proposal is made again with the next log.",
                icon=":material/sync_problem:",
            )
        if result:
            st.markdown("**Next dose**")
            badge = {
                "advance": ":green-badge[advance]",
                "hold": ":gray-badge[hold]",
                "regress": ":orange-badge[regress]",
                "pause": ":red-badge[pause]",
            }
            if not result["decisions"]:
                st.caption("No change: the plan stands as it is.")
            for d in result["decisions"]:
                change = (
                    d["before"] if d["before"] == d["after"] else f"{d['before']} → {d['after']}"
                )
                st.markdown(
                    f"- {badge[d['action']]} **{d['name']}**: {change}  \n  {d['reason']} "
                    f"_Rule: {d['rule']}._"
                )
            for n in result["notes"]:
                st.caption(n)
    if plan_id is None:
        return
    pending = plans.proposal(con, plan_id)
    if pending:
        version, note = pending
        with st.container(border=True):
            st.markdown(f"**Plan change waiting for the coach** (v{version}): {note}")
            if common.current_role().kind == "runner":
                st.caption("Your coach reviews this change.")
                return
            c1, c2 = st.columns(2)
            if c1.button("Accept the change", type="primary", key=f"accept_{version}"):
                plans.decide(con, plan_id, version, accept=True)
                common.data_changed()
                st.rerun()
            if c2.button("Roll back (keep the current plan)", key=f"reject_{version}"):
                plans.decide(con, plan_id, version, accept=False)
                common.data_changed()
                st.rerun()


def render() -> None:
    common.require(*common.EVERYONE)
    con = common.db()
    athlete_id = common.selected_athlete()
    st.title("Training log")
    if not athlete_id:
        st.info("Pick a runner in the sidebar.")
        st.stop()
    wanted_day = common.from_address(lambda: urlparams.day(common.address(), "day"))
    day = st.date_input("Day", wanted_day or clock.today(), format="YYYY-MM-DD", key="log_day")
    st.query_params["day"] = day.isoformat()
    plan_id = plans.latest_for(con, athlete_id)
    show_progression(con, plan_id)

    today_tab, unplanned_tab, checkin_tab, history_tab = st.tabs(
        ["Planned sessions", "Unplanned session", "Check-ins", "History"]
    )
    with today_tab:
        plan = common.plan(plan_id) if plan_id else None
        version = plans.current_version(con, plan_id) if plan_id else None
        todays = [
            (w.index, p, s)
            for w in (plan.weeks if plan else [])
            for p, s in enumerate(w.sessions)
            if s.date == day
        ]
        done = {
            (r.week, r.position)
            for r in logs.planned_on(con, athlete_id, day).itertuples()
            if r.done and r.plan_id == plan_id
        }
        if not todays:
            st.info("Nothing planned for this day. Log an unplanned session in the next tab.")
        for week, pos, s in todays:
            logged = (week, pos) in done
            title = f"{plantext.session_title(s)}" + (" · logged" if logged else "")
            with st.expander(title, expanded=not logged):
                ref = PlannedRef(plan_id=plan_id, version=version, week=week, position=pos)
                out = log_form(f"p{week}_{pos}_", athlete_id, day, planned=s, ref=ref)
                if out and save_log(*out):
                    st.rerun()

    with unplanned_tab:
        out = log_form("u_", athlete_id, day)
        if out and save_log(*out):
            st.rerun()

    with checkin_tab:
        st.markdown(f"**Next-morning pain**, the morning after training ({day:%a %d %b}).")
        with st.form("morning_pain", enter_to_submit=False):
            c1, c2, c3 = st.columns(3)
            region = c1.selectbox(
                "Region", REGIONS, format_func=lambda r: r.replace("_", " "), key="mp_region"
            )
            side = c2.selectbox(
                "Side",
                [None, "left", "right", "both"],
                key="mp_side",
                format_func=lambda s: "n.a." if s is None else s,
            )
            score = c3.number_input("Pain 0–10", value=None, step=1, key="mp_score")
            mp_slot = st.empty()
            if st.form_submit_button("Save morning check", key="mp_save"):
                try:
                    logs.save_morning_pain(
                        con,
                        MorningPain(
                            athlete_id=athlete_id, day=day, region=region, side=side, score=score
                        ),
                    )
                    common.data_changed()
                except ValidationError as e:
                    mp_slot.error(
                        "; ".join(f"{k}: {v}" for k, v in error_messages(e, MorningPain).items())
                    )
                else:
                    mp_slot.success("Morning check saved.")
        st.markdown("**Daily wellness** (under a minute; 5 is the best).")
        with st.form("wellness", enter_to_submit=False):
            hours = st.number_input("Hours slept", value=7.5, step=0.5, key="w_hours")
            items = {}
            cols = st.columns(5)
            for col, item in zip(cols, WELLNESS_ITEMS, strict=True):
                items[item] = col.select_slider(
                    item.replace("_", " ").capitalize(),
                    options=[1, 2, 3, 4, 5],
                    value=3,
                    format_func=lambda v, item=item: SCALES.wellness.label(item, v),
                    key=f"w_{item}",
                )
            w_slot = st.empty()
            if st.form_submit_button("Save wellness", key="w_save"):
                try:
                    logs.save_wellness(
                        con, Wellness(athlete_id=athlete_id, day=day, sleep_hours=hours, **items)
                    )
                    common.data_changed()
                except ValidationError as e:
                    w_slot.error(
                        "; ".join(f"{k}: {v}" for k, v in error_messages(e, Wellness).items())
                    )
                else:
                    w_slot.success("Wellness saved.")
        st.caption(SCALES.wellness.source)

    with history_tab:
        past = logs.recent(con, athlete_id)
        if past.empty:
            st.info("No sessions logged yet.")
        else:
            st.dataframe(
                past,
                hide_index=True,
                column_order=[
                    "day",
                    "kind",
                    "minutes",
                    "rpe",
                    "load",
                    "run_km",
                    "max_pain",
                    "comments",
                    "note",
                ],
                column_config={
                    "day": st.column_config.DateColumn("Day", format="ddd D MMM"),
                    "kind": "Kind",
                    "minutes": "Minutes",
                    "rpe": "RPE",
                    "load": "Load (AU)",
                    "run_km": "Km",
                    "max_pain": "Pain",
                    "comments": "Comments",
                    "note": "Note",
                },
            )
            ids = past["id"].tolist()
            labels = {
                r.id: f"{r.day:%a %d %b} · {plantext.kind_label(r.kind)}" for r in past.itertuples()
            }
            chosen = st.selectbox("Open a session", ids, format_func=labels.get, key="open_log")
            existing = logs.get(con, chosen)
            with st.expander("Edit this session"):
                out = log_form(f"e{chosen}_", athlete_id, existing.day, existing=existing)
                if out and save_log(*out, log_id=chosen):
                    st.rerun()
            sure = st.checkbox("Yes, delete this session", key=f"del_confirm_{chosen}")
            if st.button("Delete session", disabled=not sure, key=f"del_{chosen}"):
                logs.delete(con, chosen)
                common.data_changed()
                st.rerun()
            st.markdown("**Comments**")
            for c in logs.comments(con, chosen).itertuples():
                st.markdown(
                    f"**{c.author.capitalize()}** · {c.created_at:%d %b %H:%M}:  \n"
                    + plaintext.md_block(c.body)
                )
            # the author is who is signed in, never a choice in the form
            author = "runner" if common.current_role().kind == "runner" else "coach"
            with st.form(f"comment_{chosen}", clear_on_submit=True, enter_to_submit=False):
                st.caption(f"From the {author}")
                body = st.text_area("Comment", key=f"body_{chosen}", height=68)
                c_slot = st.empty()
                if st.form_submit_button("Add comment", key=f"comment_save_{chosen}"):
                    try:
                        logs.add_comment(con, Comment(log_id=chosen, author=author, body=body))
                        common.data_changed()
                    except ValidationError:
                        c_slot.error("Write a comment of 1 to 2,000 characters.")
                    else:
                        st.rerun()


if __name__ == "__main__":  # Streamlit ran this file by itself: see common.run_app
    common.run_app()
