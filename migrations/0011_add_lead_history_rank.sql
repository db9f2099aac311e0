-- The campaign report's cohort (worker/src/db/reports.ts, docs/report.md#funnel-counts)
-- counts a lead for every stage up to the highest it reached: the higher of its
-- current stage and the highest stage in its history. Looking the history up
-- for every lead of the cohort was most of the report's time on a large site,
-- and the dashboard reads the cohort four times. `history_rank` keeps that
-- highest rank of the history on the lead, kept up by a trigger on every new
-- history entry (history is never updated or deleted, only added to), so no
-- write path has to remember it. Ranks are the report's (domain/report.ts
-- STAGE_RANK, both stage models); -1 for no history or stages past the funnel.
ALTER TABLE leads ADD COLUMN history_rank INTEGER NOT NULL DEFAULT -1;

UPDATE leads SET history_rank = COALESCE(
  (SELECT MAX(CASE h.to_stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END) FROM stage_history AS h WHERE h.lead_id = leads.id), -1);

CREATE TRIGGER stage_history_rank AFTER INSERT ON stage_history
BEGIN
  UPDATE leads SET history_rank = MAX(history_rank, CASE NEW.to_stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END)
  WHERE id = NEW.lead_id;
END;

-- The cohort is read from this index alone: the range by creation, and every
-- column the report, its series and the sales-cycle distribution use.
CREATE INDEX leads_site_cohort
  ON leads(site_key, created_at, stage, history_rank, first_campaign, last_campaign, first_seen_at, id);
