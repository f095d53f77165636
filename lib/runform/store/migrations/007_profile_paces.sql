-- Profile fields for pace targets and a runner's week (protocols §1): minutes on particular days,
-- the long-run day, a recent race, maximum heart rate and the goal's distance where the event
-- text names none. All nullable: a profile from before this migration simply has none of them.
ALTER TABLE athletes ADD COLUMN minutes_by_day MAP(VARCHAR, INTEGER);  -- {"sat": 120}; null: none
ALTER TABLE athletes ADD COLUMN long_run_day VARCHAR;                  -- a weekday id; null: weekend default
ALTER TABLE athletes ADD COLUMN recent_race_km DOUBLE;                 -- the three race columns are
ALTER TABLE athletes ADD COLUMN recent_race_time VARCHAR;              -- all set or all null; time as
ALTER TABLE athletes ADD COLUMN recent_race_date DATE;                 -- entered, HH:MM:SS
ALTER TABLE athletes ADD COLUMN max_hr INTEGER;
ALTER TABLE athletes ADD COLUMN goal_distance_km DOUBLE;
