-- Athletes, assessments and screen values in tidy form (one row per screen, side and item).
CREATE SEQUENCE athlete_id_seq START 1;
CREATE SEQUENCE assessment_id_seq START 1;
CREATE SEQUENCE pain_id_seq START 1;

CREATE TABLE athletes (
    id              INTEGER PRIMARY KEY DEFAULT nextval('athlete_id_seq'),
    name            VARCHAR NOT NULL,
    birth_year      INTEGER,
    sex             VARCHAR,
    running_years   DOUBLE,
    weekly_km       DOUBLE NOT NULL,
    runs_per_week   INTEGER NOT NULL,
    longest_run_km  DOUBLE NOT NULL,
    goal_event      VARCHAR,
    goal_date       DATE,
    available_days  VARCHAR[] NOT NULL,
    minutes_per_day INTEGER NOT NULL,
    equipment       VARCHAR[] NOT NULL,
    injury_history  VARCHAR NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE assessments (
    id          INTEGER PRIMARY KEY DEFAULT nextval('assessment_id_seq'),
    athlete_id  INTEGER NOT NULL,
    assessed_on DATE NOT NULL,
    mode        VARCHAR NOT NULL,          -- coach | self | import | demo
    profile     JSON NOT NULL,             -- the profile as it was on the day
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX assessments_athlete ON assessments (athlete_id, assessed_on);

CREATE TABLE screen_values (
    assessment_id INTEGER NOT NULL,
    screen_id     VARCHAR NOT NULL,
    side          VARCHAR NOT NULL,        -- left | right | none
    item          VARCHAR NOT NULL,        -- fault name for single_leg_squat, else ''
    value         DOUBLE NOT NULL,         -- booleans as 1/0; a screen not assessed has no row
    PRIMARY KEY (assessment_id, screen_id, side, item)
);

CREATE TABLE pain_reports (
    id            INTEGER PRIMARY KEY DEFAULT nextval('pain_id_seq'),
    athlete_id    INTEGER NOT NULL,
    assessment_id INTEGER,                 -- null when reported outside an assessment
    reported_on   DATE NOT NULL,
    region        VARCHAR NOT NULL,
    side          VARCHAR,
    score         INTEGER NOT NULL,
    "when"        VARCHAR NOT NULL
);
CREATE INDEX pain_athlete ON pain_reports (athlete_id, reported_on);

CREATE TABLE findings (
    assessment_id INTEGER NOT NULL,
    finding_id    VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL,
    side          VARCHAR,
    evidence      JSON NOT NULL,
    explanation   VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    PRIMARY KEY (assessment_id, finding_id)
);
