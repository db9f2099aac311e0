-- Recomputes the daily rollups (migration 0023, docs/scale.md#daily-rollups) from the leads:
-- `npm run rollups:rebuild` (local D1) or `npm run rollups:rebuild -- --remote`. The triggers keep
-- the table right on every write; this is for a table suspected to have drifted (rows written
-- with the triggers dropped, a restore of one table). Two statements, one transaction in D1.
DELETE FROM lead_rollups;
INSERT INTO lead_rollups (site_key, day, first_campaign, last_campaign, reached, leads)
SELECT l.site_key, substr(l.created_at, 1, 10), COALESCE(l.first_campaign, '(none)'), COALESCE(l.last_campaign, '(none)'), MAX(CASE l.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 0 WHEN 'mql' THEN 1 WHEN 'engaged' THEN 1 WHEN 'sql' THEN 2 WHEN 'interested' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'need_recognized' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END, l.history_rank), COUNT(*)
FROM leads AS l
GROUP BY 1, 2, 3, 4, 5;
