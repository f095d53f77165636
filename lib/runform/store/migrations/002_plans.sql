-- Plans with versions: an edit or an adaptation writes a new version, never over an old one.
CREATE SEQUENCE plan_id_seq START 1;

CREATE TABLE plans (
    id            INTEGER PRIMARY KEY DEFAULT nextval('plan_id_seq'),
    athlete_id    INTEGER NOT NULL,
    assessment_id INTEGER,                 -- the assessment whose findings built it
    options       JSON NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX plans_athlete ON plans (athlete_id);

CREATE TABLE plan_versions (
    plan_id    INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    note       VARCHAR NOT NULL,
    body       JSON NOT NULL,              -- the plan JSON of protocols §1
    PRIMARY KEY (plan_id, version)
);

-- The sessions of every version in tidy form, for adherence and load charts in plain SQL.
CREATE TABLE plan_sessions (
    plan_id  INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    week     INTEGER NOT NULL,
    position INTEGER NOT NULL,             -- order within the week
    day      DATE NOT NULL,
    kind     VARCHAR NOT NULL,
    minutes  INTEGER NOT NULL,
    run_km   DOUBLE NOT NULL,
    deload   BOOLEAN NOT NULL,
    PRIMARY KEY (plan_id, version, week, position)
);
