-- A save is idempotent: each log form submission carries an id, and a retried or double-clicked
-- submission finds the log it already wrote instead of writing a second one.
ALTER TABLE session_logs ADD COLUMN submission_id VARCHAR;
CREATE UNIQUE INDEX session_logs_submission ON session_logs (submission_id);
