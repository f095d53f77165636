-- Who assessed (protocols §3): the minimal detectable change of knee-to-wall is 1.9 cm with the
-- same assessor and 1.6 cm between assessors, so each assessment records its assessor. Free text,
-- compared trimmed and case-insensitively; "self" for a runner's self-assessment. Nullable: an
-- assessment from before this migration has none, and runform.change then uses the larger figure.
ALTER TABLE assessments ADD COLUMN assessor VARCHAR;
