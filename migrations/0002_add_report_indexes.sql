-- The campaign report (worker/src/db/reports.ts) looks up, for every lead of
-- its cohort, the highest stage in the lead's history and its latest
-- `customer` entry. With `to_stage` in the index both are answered from the
-- index alone (the row id is the history entry's id), without reading the
-- history rows of every lead.
CREATE INDEX stage_history_lead_stage ON stage_history(lead_id, to_stage);
