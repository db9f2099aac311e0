-- Deals won in a CRM (docs/inbound-deals.md).

-- One key per site and CRM, for `POST /v1/inbound/{siteKey}/{source}?key=…`: only its SHA-256
-- is kept, so the database alone does not let anyone post deals. A rotation replaces it.
CREATE TABLE inbound_keys (
  site_key   TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  source     TEXT NOT NULL,                       -- 'pipedrive', 'hubspot'
  key_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  rotated_at TEXT,
  PRIMARY KEY (site_key, source)
) WITHOUT ROWID;

-- What a won deal did, so a repeat of it answers the same (migration 0019 made the table):
-- 'moved' (the lead became a customer with this deal's value) or 'already_customer' (kept as
-- it was); the stage it came from, the deal's value and when it was won; `nonce` tells the
-- request that wrote the row from a concurrent one with the same deal.
ALTER TABLE won_deals ADD COLUMN outcome TEXT NOT NULL DEFAULT 'moved';
ALTER TABLE won_deals ADD COLUMN from_stage TEXT;
ALTER TABLE won_deals ADD COLUMN amount INTEGER;
ALTER TABLE won_deals ADD COLUMN currency TEXT;
ALTER TABLE won_deals ADD COLUMN won_at TEXT;
ALTER TABLE won_deals ADD COLUMN nonce TEXT;

-- A won deal names the CRM's person or contact: find its lead without reading every link.
CREATE INDEX crm_links_external ON crm_links(site_key, kind, external_id);
