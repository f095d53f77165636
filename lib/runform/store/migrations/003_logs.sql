-- Session logs, what was done of each exercise, watch-file series, wellness and comments.
CREATE SEQUENCE log_id_seq START 1;
CREATE SEQUENCE comment_id_seq START 1;

CREATE TABLE session_logs (
    id              INTEGER PRIMARY KEY DEFAULT nextval('log_id_seq'),
    athlete_id      INTEGER NOT NULL,
    day             DATE NOT NULL,
    kind            VARCHAR NOT NULL,      -- a plan session kind
    plan_id         INTEGER,               -- the planned session it fulfils; null when unplanned
    plan_version    INTEGER,
    week            INTEGER,
    position        INTEGER,
    minutes         DOUBLE NOT NULL,
    rpe             DOUBLE NOT NULL,       -- session RPE, CR-10
    run_km          DOUBLE NOT NULL DEFAULT 0,
    cadence_spm     DOUBLE,
    ground_contact_ms DOUBLE,
    vertical_oscillation_cm DOUBLE,
    vertical_ratio_pct DOUBLE,
    stance_balance_left_pct DOUBLE,
    cadence_cv_pct  DOUBLE,                -- cadence consistency over the run
    cadence_fade_pct DOUBLE,               -- last quarter against the first, in %
    ground_contact_fade_pct DOUBLE,
    vertical_oscillation_fade_pct DOUBLE,
    fit_sha256      VARCHAR,               -- the uploaded watch file, to refuse duplicates
    note            VARCHAR NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX session_logs_athlete ON session_logs (athlete_id, day);
CREATE UNIQUE INDEX session_logs_fit ON session_logs (athlete_id, fit_sha256);

CREATE TABLE exercise_logs (
    log_id      INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    exercise_id VARCHAR NOT NULL,
    sets        INTEGER NOT NULL,          -- sets done (0 when skipped)
    reps        INTEGER,                   -- reps per set (top set), null for timed work
    seconds     INTEGER,
    load_kg     DOUBLE,
    rpe         DOUBLE,                    -- how hard the exercise felt, CR-10
    skipped     BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (log_id, position)
);

CREATE TABLE run_records (                 -- per-record series from a watch file
    log_id      INTEGER NOT NULL,
    t_s         DOUBLE NOT NULL,           -- seconds from the start
    distance_m  DOUBLE,
    cadence_spm DOUBLE,
    ground_contact_ms DOUBLE,
    vertical_oscillation_cm DOUBLE,
    vertical_ratio_pct DOUBLE,
    stance_balance_left_pct DOUBLE
);
CREATE INDEX run_records_log ON run_records (log_id);

ALTER TABLE pain_reports ADD COLUMN log_id INTEGER;  -- pain during or after a logged session

CREATE TABLE wellness (
    athlete_id    INTEGER NOT NULL,
    day           DATE NOT NULL,
    sleep_hours   DOUBLE NOT NULL,
    sleep_quality INTEGER NOT NULL,        -- 1–5, McLean et al. 2010
    fatigue       INTEGER NOT NULL,
    soreness      INTEGER NOT NULL,
    stress        INTEGER NOT NULL,
    mood          INTEGER NOT NULL,
    PRIMARY KEY (athlete_id, day)
);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY DEFAULT nextval('comment_id_seq'),
    log_id     INTEGER NOT NULL,
    author     VARCHAR NOT NULL,           -- runner | coach
    body       VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

ALTER TABLE plan_versions ADD COLUMN status VARCHAR NOT NULL DEFAULT 'accepted';  -- or proposed, rejected
