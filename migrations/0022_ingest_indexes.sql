-- Ingest and submission cost flat in the site's size (docs/scale.md#ingest-cost-flat-in-the-sites-size).
-- A submission reads the visitor's earlier touchpoints in time order (worker/src/db/touchpoints.ts).
-- Through `touchpoints_visitor (site_key, visitor_id)` or `touchpoints_site_received` SQLite found
-- the rows and then sorted them in a temporary b-tree, or walked the site's touchpoints: the cost
-- grew with the site. Each index below is bounded by one visitor (or one day's hash) and ordered by
-- time, the rowid (`seq`) breaking ties, so every read is a range search that needs no sort.

-- The visitor's touchpoints not yet attached to a lead: what a submission attaches, in pages.
-- A touchpoint leaves this index when it joins a lead; a linked visitor's new touchpoints never
-- enter it (they are stored with their lead).
CREATE INDEX touchpoints_visitor_unattached ON touchpoints(site_key, visitor_id, occurred_at)
  WHERE visitor_id IS NOT NULL AND lead_id IS NULL;

-- All of a visitor's touchpoints by time (the attachment rule's own touchpoints of the last day).
-- It replaces `touchpoints_visitor`, whose columns are its prefix.
CREATE INDEX touchpoints_visitor_time ON touchpoints(site_key, visitor_id, occurred_at)
  WHERE visitor_id IS NOT NULL;
DROP INDEX touchpoints_visitor;

-- A day's hash by time (the attachment rule's anonymous candidates). It replaces
-- `touchpoints_daily_hash`, whose columns are its prefix.
CREATE INDEX touchpoints_daily_hash_time ON touchpoints(site_key, daily_hash, occurred_at)
  WHERE daily_hash IS NOT NULL;
DROP INDEX touchpoints_daily_hash;
