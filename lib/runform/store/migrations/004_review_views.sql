-- The planned sessions in force: the latest accepted version of each plan, and on each day only
-- the athlete's most recently started plan (a new block replaces the rest of the old one).
-- One self-contained view (CTEs, no view on a view), so EXPORT/IMPORT DATABASE restores it.
CREATE VIEW planned_sessions AS
WITH starts AS (
    SELECT s.plan_id, p.athlete_id, min(s.day) AS first_day
    FROM plan_sessions s JOIN plans p ON p.id = s.plan_id
    WHERE s.version = 1
    GROUP BY ALL
),
current AS (
    SELECT plan_id, max(version) AS version
    FROM plan_versions WHERE status = 'accepted'
    GROUP BY plan_id
)
SELECT st.athlete_id, s.plan_id, s.version, s.week, s.position, s.day, s.kind, s.minutes,
       s.run_km, s.deload
FROM plan_sessions s
JOIN current v ON v.plan_id = s.plan_id AND v.version = s.version
JOIN starts st ON st.plan_id = s.plan_id
WHERE st.plan_id = (
    SELECT o.plan_id FROM starts o
    WHERE o.athlete_id = st.athlete_id AND o.first_day <= s.day
    ORDER BY o.first_day DESC, o.plan_id DESC LIMIT 1
);
