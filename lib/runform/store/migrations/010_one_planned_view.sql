-- One view says which planned sessions are in force: planned_session_status (migration 009).
-- planned_sessions repeated its "plan in force" query and nothing reads it any more.
DROP VIEW IF EXISTS planned_sessions;
