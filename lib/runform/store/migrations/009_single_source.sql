-- One copy of each fact (issue 13).
--
-- Plans: every version was stored twice, as the whole plan JSON (plan_versions.body) and as rows
-- (plan_sessions). The rows stay, because the review queries read them (a view parsing the JSON
-- costs 350–800 ms team-wide against 1 ms for the table), and the JSON goes: plan_versions keeps a
-- small header (the plan-level fields), plan_weeks holds each week, plan_sessions each session
-- with the rest of it (exercises, steps, reason) as `detail`. store.plans.load rebuilds the Plan.
--
-- Profiles: the profile was a row in `athletes` and again on each assessment. The profile on an
-- assessment day is history (plans and the single-run spike read it), so it stays there; the
-- runner's current profile is the latest assessment's (by assessed_on, then id), and `athletes`
-- keeps only the runner's id.
--
-- Planned sessions done: one view, planned_session_status, for the Log page and the reviews.

-- --- plans --------------------------------------------------------------------------------------
DROP VIEW IF EXISTS planned_sessions;

CREATE TABLE plan_weeks (
    plan_id  INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    week     INTEGER NOT NULL,              -- the week's index (1 = the plan's first week)
    phase    VARCHAR NOT NULL,
    deload   BOOLEAN NOT NULL,
    run_km   DOUBLE NOT NULL,
    notes    JSON NOT NULL,                 -- a list of strings
    PRIMARY KEY (plan_id, version, week)
);

-- The weeks and sessions of every stored body, in their order. Keys a body lacks take the model's
-- defaults (the JSON of every release holds them all; this only keeps the conversion total).
CREATE TEMP TABLE old_weeks AS
SELECT plan_id, version, w, (w ->> 'index')::INTEGER AS week
FROM (
    SELECT plan_id, version, unnest(json_extract(body, '$.weeks[*]')) AS w FROM plan_versions
);

INSERT INTO plan_weeks
SELECT plan_id, version, week,
       coalesce(w ->> 'phase', 'base'),
       coalesce((w ->> 'deload')::BOOLEAN, false),
       coalesce((w ->> 'run_km')::DOUBLE, 0),
       coalesce(w -> 'notes', '[]')
FROM old_weeks;

CREATE TABLE plan_sessions_new (
    plan_id  INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    week     INTEGER NOT NULL,
    position INTEGER NOT NULL,              -- order within the week
    day      DATE NOT NULL,
    kind     VARCHAR NOT NULL,
    minutes  INTEGER NOT NULL,
    run_km   DOUBLE NOT NULL,
    detail   JSON NOT NULL,                 -- the rest of the session: exercises, steps, reason
    PRIMARY KEY (plan_id, version, week, position)
);

INSERT INTO plan_sessions_new
SELECT plan_id, version, week, position,
       (s ->> 'date')::DATE, s ->> 'kind', (s ->> 'minutes')::INTEGER,
       coalesce((s ->> 'run_km')::DOUBLE, 0),
       -- a merge patch's nulls remove keys: the session without its four columns
       json_merge_patch(s, '{"date": null, "kind": null, "minutes": null, "run_km": null}')
FROM (
    SELECT plan_id, version, week,
           unnest(json_extract(w, '$.sessions[*]')) AS s,
           generate_subscripts(json_extract(w, '$.sessions[*]'), 1) - 1 AS position
    FROM old_weeks
);

DROP TABLE old_weeks;
DROP TABLE plan_sessions;
ALTER TABLE plan_sessions_new RENAME TO plan_sessions;

-- Tables are rebuilt rather than altered: DuckDB cannot alter a table with an index (the
-- primary key) once it has outstanding changes in the same transaction.
CREATE TABLE plan_versions_new (
    plan_id    INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    note       VARCHAR NOT NULL,
    status     VARCHAR NOT NULL DEFAULT 'accepted',  -- or proposed, rejected
    header     JSON NOT NULL,                        -- start, notes, pace_min_per_km: no weeks
    PRIMARY KEY (plan_id, version)
);
INSERT INTO plan_versions_new
SELECT plan_id, version, created_at, note, status, json_merge_patch(body, '{"weeks": null}')
FROM plan_versions;
DROP TABLE plan_versions;
ALTER TABLE plan_versions_new RENAME TO plan_versions;

-- --- profiles -----------------------------------------------------------------------------------
-- A runner without an assessment (none is created so, but a file may hold one) keeps the profile
-- of its row as an imported assessment on the day it was created, so dropping the columns loses
-- nothing.
INSERT INTO assessments (athlete_id, assessed_on, mode, profile)
SELECT a.id, a.created_at::DATE, 'import',
       json_object(
           'name', a.name, 'birth_year', a.birth_year, 'sex', a.sex,
           'running_years', a.running_years, 'weekly_km', a.weekly_km,
           'runs_per_week', a.runs_per_week, 'longest_run_km', a.longest_run_km,
           'goal', CASE WHEN a.goal_event IS NOT NULL THEN json_object(
               'event', a.goal_event, 'date', a.goal_date, 'distance_km', a.goal_distance_km)
           END,
           'available_days', to_json(a.available_days),
           'minutes_per_day', a.minutes_per_day, 'equipment', to_json(a.equipment),
           'injury_history', a.injury_history,
           'minutes_by_day', coalesce(to_json(a.minutes_by_day), '{}'),
           'long_run_day', a.long_run_day,
           'recent_race', CASE WHEN a.recent_race_km IS NOT NULL THEN json_object(
               'distance_km', a.recent_race_km, 'time', a.recent_race_time,
               'date', a.recent_race_date)
           END,
           'max_hr', a.max_hr)
FROM athletes a
WHERE NOT EXISTS (SELECT 1 FROM assessments s WHERE s.athlete_id = a.id);

CREATE TABLE athletes_new (
    id         INTEGER PRIMARY KEY DEFAULT nextval('athlete_id_seq'),
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
INSERT INTO athletes_new SELECT id, created_at FROM athletes;
DROP TABLE athletes;
ALTER TABLE athletes_new RENAME TO athletes;

-- --- views --------------------------------------------------------------------------------------
-- One view of what is planned and done (migration 004's planned_sessions goes): each planned
-- session in force with whether it is done and the log that did it. In force: the latest
-- accepted version of each plan, and on each day only the athlete's most recently started plan
-- (a new block replaces the rest of the old one). A plan's first day is its first session's in
-- version 1; ordered by first day and id, a plan is in force from its first day until the next
-- plan's (the same answer as migration 004's "latest start on or before the day", without a
-- lookup per session: 27 ms down to 3 ms on 100 runners). Done: a log of the same plan, day and
-- kind (the earliest when there are several). The one match the Log page (store.logs.planned_on)
-- and every review (store.review.adherence) use. Self-contained (CTEs, no view on a view), so
-- EXPORT/IMPORT DATABASE restores it.
CREATE VIEW planned_session_status AS
WITH starts AS (
    SELECT s.plan_id, p.athlete_id, min(s.day) AS first_day
    FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
    WHERE s.version = 1
    GROUP BY ALL
),
spans AS (
    SELECT plan_id, athlete_id, first_day,
           lead(first_day) OVER (PARTITION BY athlete_id ORDER BY first_day, plan_id) AS next_start
    FROM starts
),
current AS (
    SELECT plan_id, max(version) AS version
    FROM plan_versions WHERE status = 'accepted'
    GROUP BY plan_id
),
in_force AS (
    SELECT sp.athlete_id, s.plan_id, s.version, s.week, s.position, s.day, s.kind, s.minutes,
           s.run_km, w.deload
    FROM plan_sessions s
    JOIN current v ON v.plan_id = s.plan_id AND v.version = s.version
    JOIN spans sp ON sp.plan_id = s.plan_id
    LEFT JOIN plan_weeks w ON w.plan_id = s.plan_id AND w.version = s.version AND w.week = s.week
    WHERE s.day >= sp.first_day AND (sp.next_start IS NULL OR s.day < sp.next_start)
),
logged AS (
    SELECT plan_id, day, kind, min(id) AS log_id
    FROM session_logs WHERE plan_id IS NOT NULL
    GROUP BY ALL
)
SELECT f.*, l.log_id IS NOT NULL AS done, l.log_id
FROM in_force f
LEFT JOIN logged l ON l.plan_id = f.plan_id AND l.day = f.day AND l.kind = f.kind;
