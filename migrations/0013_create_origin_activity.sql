-- The installation check (docs/app.md#install, worker/src/db/origin-activity.ts).
--
-- `origin_refusals`: pages on an origin a site does not allow that asked for its
-- configuration, sent events or a lead: the usual setup mistake. Per site and origin
-- only the times, a count and the kind of request: no address, no visitor id. At
-- most 20 origins a site; a row is written at most once a minute; purged 30 days
-- after its last refusal by the maintenance job.
CREATE TABLE origin_refusals (
  site_key     TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  origin       TEXT NOT NULL,
  first_at     TEXT NOT NULL,
  last_at      TEXT NOT NULL,
  count        INTEGER NOT NULL,
  last_request TEXT NOT NULL,              -- config, start, events or leads
  last_path    TEXT NOT NULL,              -- the collector path asked for, without the query
  PRIMARY KEY (site_key, origin)
) WITHOUT ROWID;
CREATE INDEX origin_refusals_last ON origin_refusals(last_at);

-- `origin_activity`: per site and allowed origin, when its first page view and its
-- last event arrived, kept up by the events ingest in the same batch as the
-- touchpoints, so the check never scans a big site's touchpoints. `last_event_at`
-- moves at most once a minute.
CREATE TABLE origin_activity (
  site_key           TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  origin             TEXT NOT NULL,
  first_page_view_at TEXT,
  last_event_at      TEXT NOT NULL,
  PRIMARY KEY (site_key, origin)
) WITHOUT ROWID;
