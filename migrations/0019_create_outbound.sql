-- Outbound delivery (docs/outbound.md): the places a site's events go, the events themselves,
-- one delivery per event and endpoint, and every attempt of each delivery.

-- An endpoint: a webhook (kind 'webhook', endpoint_id chosen by the site), a sales alert
-- ('slack', 'email') or a CRM ('hubspot', 'pipedrive'), whose endpoint_id is its kind.
CREATE TABLE endpoints (
  site_key              TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  kind                  TEXT NOT NULL,
  endpoint_id           TEXT NOT NULL,
  url                   TEXT,                     -- webhook and Slack targets
  events                TEXT NOT NULL,            -- JSON array of event types
  enabled               INTEGER NOT NULL DEFAULT 1,
  settings              TEXT NOT NULL DEFAULT '{}', -- JSON, nothing secret
  secret                TEXT,                     -- encrypted at rest (worker/src/lib/crypto.ts)
  previous_secret       TEXT,                     -- encrypted; signs too until previous_secret_until
  previous_secret_until TEXT,
  disabled_reason       TEXT,                     -- 'gone' (410), 'failing' (for days), NULL
  failing_since         TEXT,                     -- first failure since the last success
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  PRIMARY KEY (site_key, kind, endpoint_id)
) WITHOUT ROWID;

-- One event, written in the same batch as the change it reports. `version` counts the lead's
-- events, so a receiver can drop one older than what it has.
CREATE TABLE outbound_events (
  event_id   TEXT PRIMARY KEY,                    -- the webhook-id header, stable across retries
  site_key   TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  lead_id    TEXT,
  type       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  payload    TEXT NOT NULL,                       -- the JSON body, exactly as sent
  created_at TEXT NOT NULL
);
CREATE INDEX outbound_events_lead ON outbound_events(site_key, lead_id, version);

CREATE TABLE outbound_deliveries (
  delivery_id     TEXT PRIMARY KEY,
  event_id        TEXT NOT NULL REFERENCES outbound_events(event_id) ON DELETE CASCADE,
  site_key        TEXT NOT NULL,
  kind            TEXT NOT NULL,
  endpoint_id     TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending', -- pending, succeeded, skipped, failed, dead
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  lease_until     TEXT,                            -- a consumer holds it until then
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (event_id, kind, endpoint_id)
);
CREATE INDEX outbound_deliveries_endpoint
  ON outbound_deliveries(site_key, kind, endpoint_id, created_at);
CREATE INDEX outbound_deliveries_due
  ON outbound_deliveries(next_attempt_at) WHERE status = 'pending';

CREATE TABLE outbound_attempts (
  id           INTEGER PRIMARY KEY,
  delivery_id  TEXT NOT NULL REFERENCES outbound_deliveries(delivery_id) ON DELETE CASCADE,
  attempted_at TEXT NOT NULL,
  duration_ms  INTEGER NOT NULL,
  status_code  INTEGER,                           -- NULL: no answer (timeout, refused)
  error        TEXT                               -- short, never a payload
);
CREATE INDEX outbound_attempts_delivery ON outbound_attempts(delivery_id, id);

-- What a CRM calls a lead, so a replay updates the same contact (docs/outbound.md#crm).
CREATE TABLE crm_links (
  site_key    TEXT NOT NULL,
  lead_id     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  external_id TEXT NOT NULL,
  extra       TEXT NOT NULL DEFAULT '{}',         -- e.g. the Pipedrive lead id
  created_at  TEXT NOT NULL,
  PRIMARY KEY (site_key, lead_id, kind)
) WITHOUT ROWID;

-- Deals won in a CRM, once each (its deal id), moving the lead to customer.
CREATE TABLE won_deals (
  site_key   TEXT NOT NULL,
  source     TEXT NOT NULL,                       -- 'api', 'hubspot', 'pipedrive'
  deal_id    TEXT NOT NULL,
  lead_id    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_key, source, deal_id)
) WITHOUT ROWID;
