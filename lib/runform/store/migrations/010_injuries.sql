-- Injury episodes (issue 17): each episode with its history of status changes, the weekly OSTRC-O2
-- answers, the return-to-run ladder's stage changes and capacity tests, and which plan version a
-- runner's plan was shaped from while an episode changes their training. Self-contained: only new
-- tables, so it runs whatever another branch's migration added.
CREATE SEQUENCE injury_episode_id_seq START 1;

CREATE TABLE injury_episodes (
    id          INTEGER PRIMARY KEY DEFAULT nextval('injury_episode_id_seq'),
    athlete_id  INTEGER NOT NULL,
    region      VARCHAR NOT NULL,              -- a vocab region
    side        VARCHAR,                       -- left | right | both; null: midline
    onset       DATE NOT NULL,
    diagnosis   VARCHAR NOT NULL DEFAULT '',   -- what the runner or a clinician calls it
    notes       VARCHAR NOT NULL DEFAULT '',
    ended_on    DATE,                          -- null while the episode is open
    opened_by   VARCHAR NOT NULL,              -- runner | coach
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX injury_episodes_athlete ON injury_episodes (athlete_id);

-- Every status an episode has had, in order: the current one is the last.
CREATE TABLE injury_status (
    episode_id  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    day         DATE NOT NULL,                 -- in force from this day
    status      VARCHAR NOT NULL,              -- full | modified | unavailable
    reason      VARCHAR NOT NULL DEFAULT '',
    author      VARCHAR NOT NULL,              -- runner | coach
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (episode_id, seq)
);

-- One runner's OSTRC-O2 answers for a region and a week (its Monday): the chosen answer of each
-- question by its index; the severity is computed from data/ostrc.toml, never stored.
CREATE TABLE ostrc_answers (
    athlete_id  INTEGER NOT NULL,
    week_start  DATE NOT NULL,
    region      VARCHAR NOT NULL,
    q1          INTEGER NOT NULL,
    q2          INTEGER NOT NULL,
    q3          INTEGER NOT NULL,
    q4          INTEGER NOT NULL,
    answered_on DATE NOT NULL,
    PRIMARY KEY (athlete_id, week_start, region)
);

-- The ladder's stage changes of an episode, in order (0: not running yet): where it started,
-- each advance or regress, and a coach setting the stage with a reason.
CREATE TABLE ladder_events (
    episode_id  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    day         DATE NOT NULL,
    stage       INTEGER NOT NULL,
    action      VARCHAR NOT NULL,              -- start | advance | regress | override
    rule        VARCHAR NOT NULL DEFAULT '',
    reason      VARCHAR NOT NULL DEFAULT '',
    author      VARCHAR NOT NULL,              -- runner | coach | ladder
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (episode_id, seq)
);

-- Capacity tests during an episode: passed means done without pain.
CREATE TABLE capacity_tests (
    episode_id  INTEGER NOT NULL,
    day         DATE NOT NULL,
    test_id     VARCHAR NOT NULL,
    passed      BOOLEAN NOT NULL,
    PRIMARY KEY (episode_id, day, test_id)
);

-- A plan whose sessions an open episode has reshaped, and the version it was reshaped from:
-- each later status or stage change reshapes that version again, and the end of the episodes
-- gives its sessions back from that day on.
CREATE TABLE plan_bases (
    plan_id     INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL,
    since       DATE NOT NULL
);
