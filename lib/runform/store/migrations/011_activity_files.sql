-- Activities from any watch or app (issue 18): GPX and TCX files beside FIT, and bulk imports.
--
-- started_at: when the run began (UTC, without a zone), from the file. Two files of one run in
-- different formats (the watch's FIT and the GPX a phone app or Strava exported) share no bytes
-- and no record series, but they start within seconds of each other: store.logs refuses the
-- second by this. Null for typed logs and files whose clock was never set.
-- heart_rate_bpm: the run's average heart rate where the file has one, and each record's.
ALTER TABLE session_logs ADD COLUMN started_at TIMESTAMP;
ALTER TABLE session_logs ADD COLUMN heart_rate_bpm DOUBLE;
ALTER TABLE run_records ADD COLUMN heart_rate_bpm DOUBLE;
CREATE INDEX session_logs_started ON session_logs (athlete_id, started_at);
