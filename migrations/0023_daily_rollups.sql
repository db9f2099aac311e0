-- Daily rollups of the campaign report's cohort (docs/scale.md#daily-rollups, docs/report.md).
-- The report, its time series and the dashboard counted the leads created in the range, each for
-- every stage up to the highest it reached, by reading every lead of the range from
-- `leads_site_cohort`: on a site of a million leads, a 90-day range read hundreds of thousands of
-- index entries per request, and the dashboard reads two ranges. `lead_rollups` holds those
-- counts per site, UTC creation day, first and last campaign touch (`(none)` without one) and
-- highest rank reached (domain/report.ts STAGE_RANK, the higher of the current stage's and
-- `history_rank`; -1 past the funnel), so a range reads a few rows per day and campaign.
--
-- Triggers on `leads` keep the counts in the same transaction as every write that changes a key
-- column (capture, stage changes, won deals, imports, erasure, scoring): no write path has to
-- remember them. A lead moves from its old key to its new one; a row that reaches 0 goes, so the
-- report never shows a campaign without leads. Decrements are plain UPDATEs, so deleting a site
-- (its leads cascade) never writes a row for it. `npm run rollups:rebuild` (scripts/rollups-rebuild.sql)
-- recomputes the table from the leads, with this backfill's statement.
CREATE TABLE lead_rollups (
  site_key       TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  day            TEXT NOT NULL,             -- YYYY-MM-DD, the lead's creation day (UTC)
  first_campaign TEXT NOT NULL,
  last_campaign  TEXT NOT NULL,
  reached        INTEGER NOT NULL,          -- the highest report rank the lead reached
  leads          INTEGER NOT NULL,
  PRIMARY KEY (site_key, day, first_campaign, last_campaign, reached)
) WITHOUT ROWID;

INSERT INTO lead_rollups (site_key, day, first_campaign, last_campaign, reached, leads)
SELECT l.site_key, substr(l.created_at, 1, 10), COALESCE(l.first_campaign, '(none)'), COALESCE(l.last_campaign, '(none)'), MAX(CASE l.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, l.history_rank), COUNT(*)
FROM leads AS l
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER leads_rollup_insert AFTER INSERT ON leads
BEGIN
  INSERT INTO lead_rollups (site_key, day, first_campaign, last_campaign, reached, leads)
  VALUES (NEW.site_key, substr(NEW.created_at, 1, 10), COALESCE(NEW.first_campaign, '(none)'), COALESCE(NEW.last_campaign, '(none)'), MAX(CASE NEW.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, NEW.history_rank), 1)
  ON CONFLICT DO UPDATE SET leads = leads + 1;
END;

CREATE TRIGGER leads_rollup_update
AFTER UPDATE OF site_key, created_at, first_campaign, last_campaign, stage, history_rank ON leads
WHEN OLD.site_key IS NOT NEW.site_key
  OR substr(OLD.created_at, 1, 10) IS NOT substr(NEW.created_at, 1, 10)
  OR COALESCE(OLD.first_campaign, '(none)') IS NOT COALESCE(NEW.first_campaign, '(none)')
  OR COALESCE(OLD.last_campaign, '(none)') IS NOT COALESCE(NEW.last_campaign, '(none)')
  OR MAX(CASE OLD.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, OLD.history_rank) IS NOT MAX(CASE NEW.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, NEW.history_rank)
BEGIN
  UPDATE lead_rollups SET leads = leads - 1
  WHERE site_key = OLD.site_key AND day = substr(OLD.created_at, 1, 10)
    AND first_campaign = COALESCE(OLD.first_campaign, '(none)') AND last_campaign = COALESCE(OLD.last_campaign, '(none)')
    AND reached = MAX(CASE OLD.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, OLD.history_rank);
  DELETE FROM lead_rollups
  WHERE site_key = OLD.site_key AND day = substr(OLD.created_at, 1, 10)
    AND first_campaign = COALESCE(OLD.first_campaign, '(none)') AND last_campaign = COALESCE(OLD.last_campaign, '(none)')
    AND reached = MAX(CASE OLD.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, OLD.history_rank) AND leads <= 0;
  INSERT INTO lead_rollups (site_key, day, first_campaign, last_campaign, reached, leads)
  VALUES (NEW.site_key, substr(NEW.created_at, 1, 10), COALESCE(NEW.first_campaign, '(none)'), COALESCE(NEW.last_campaign, '(none)'), MAX(CASE NEW.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, NEW.history_rank), 1)
  ON CONFLICT DO UPDATE SET leads = leads + 1;
END;

CREATE TRIGGER leads_rollup_delete AFTER DELETE ON leads
BEGIN
  UPDATE lead_rollups SET leads = leads - 1
  WHERE site_key = OLD.site_key AND day = substr(OLD.created_at, 1, 10)
    AND first_campaign = COALESCE(OLD.first_campaign, '(none)') AND last_campaign = COALESCE(OLD.last_campaign, '(none)')
    AND reached = MAX(CASE OLD.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, OLD.history_rank);
  DELETE FROM lead_rollups
  WHERE site_key = OLD.site_key AND day = substr(OLD.created_at, 1, 10)
    AND first_campaign = COALESCE(OLD.first_campaign, '(none)') AND last_campaign = COALESCE(OLD.last_campaign, '(none)')
    AND reached = MAX(CASE OLD.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, OLD.history_rank) AND leads <= 0;
END;

-- The customers of a range (their deal and sales cycle: revenue, the medians, the sales-cycle
-- distribution) are read from the leads themselves, through this partial index of the leads with
-- a `customer` entry in their history (`history_rank` 4, migration 0011): a few per cent of a
-- site's leads, instead of every lead of the range; it holds every column the report reads of them.
CREATE INDEX leads_site_won
  ON leads(site_key, created_at, first_campaign, last_campaign, first_seen_at, history_rank, id)
  WHERE history_rank >= 4;
