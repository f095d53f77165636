-- Personal links a coach gives a runner: only a hash of the token is kept, with an expiry.
CREATE SEQUENCE link_id_seq START 1;

CREATE TABLE runner_links (
    id           INTEGER PRIMARY KEY DEFAULT nextval('link_id_seq'),
    athlete_id   INTEGER NOT NULL,
    token_sha256 VARCHAR NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);
