-- Lodestone schema, designed for the whole product (docs/). Times are ISO 8601 UTC text
-- (`strftime('%Y-%m-%dT%H:%M:%fZ')`), money integer minor units, JSON as text.
-- D1 enforces foreign keys on every connection.

CREATE TABLE sites (
  site_key        TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  allowed_origins TEXT NOT NULL,            -- JSON array of origins
  locale          TEXT NOT NULL DEFAULT 'en',
  country         TEXT NOT NULL DEFAULT 'DE',
  stage_model     TEXT NOT NULL DEFAULT 'b2b',
  required_fields TEXT NOT NULL,            -- JSON array of field names
  rules           TEXT NOT NULL DEFAULT '{}', -- validated JSON (shared/rules.ts)
  retention_days  INTEGER NOT NULL DEFAULT 396,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

-- Origin → sites, so a CORS preflight (which carries no body and so no site
-- key) can be answered without scanning every site.
CREATE TABLE site_origins (
  origin   TEXT NOT NULL,
  site_key TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  PRIMARY KEY (origin, site_key)
) WITHOUT ROWID;

CREATE TABLE tokens (
  id           TEXT PRIMARY KEY,
  site_key     TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  name         TEXT,
  token_hash   TEXT NOT NULL UNIQUE,        -- SHA-256 hex; the token itself is shown once
  scopes       TEXT NOT NULL,               -- JSON array
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
);
CREATE INDEX tokens_site ON tokens(site_key);

-- Versioned consent texts: stored once, referenced by id and hash, never changed.
CREATE TABLE consent_texts (
  id         TEXT PRIMARY KEY,
  site_key   TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  purpose    TEXT NOT NULL,
  version    INTEGER NOT NULL,
  text       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (site_key, purpose, sha256),
  UNIQUE (site_key, purpose, version)
);

CREATE TABLE forms (
  site_key     TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  form_id      TEXT NOT NULL,
  kind         TEXT NOT NULL,
  title        TEXT NOT NULL,
  description  TEXT,
  fields       TEXT NOT NULL,               -- JSON array of {name, type, required, label, ...}
  consents     TEXT NOT NULL,               -- JSON array of {purpose, textId, required}
  asset_url    TEXT,
  asset_name   TEXT,
  popup        TEXT,                        -- JSON trigger and frequency cap
  submit_label TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (site_key, form_id)
);

CREATE TABLE leads (
  id                  TEXT PRIMARY KEY,
  site_key            TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  email               TEXT,                 -- as given, domain lower-cased; NULL once erased
  email_key           TEXT,                 -- lower-cased whole, for matching; NULL once erased
  email_domain        TEXT,
  first_name          TEXT,
  last_name           TEXT,
  company             TEXT,
  job_title           TEXT,
  phone               TEXT,                 -- E.164
  fields              TEXT NOT NULL DEFAULT '{}', -- every other normalised field
  complete            INTEGER NOT NULL DEFAULT 0,
  missing             TEXT NOT NULL DEFAULT '[]',
  stage               TEXT NOT NULL,
  stage_set_by        TEXT NOT NULL DEFAULT 'rule', -- 'rule' or 'manual'
  stage_changed_at    TEXT NOT NULL,
  temperature         TEXT NOT NULL DEFAULT 'cold',
  fit_score           REAL NOT NULL DEFAULT 0,
  engagement_score    REAL NOT NULL DEFAULT 0,
  score_reasons       TEXT NOT NULL DEFAULT '[]',
  score_state         TEXT NOT NULL DEFAULT '{}', -- incremental engagement state
  first_source        TEXT,
  first_medium        TEXT,
  first_campaign      TEXT,
  first_touch_at      TEXT,
  last_source         TEXT,
  last_medium         TEXT,
  last_campaign       TEXT,
  last_touch_at       TEXT,
  first_seen_at       TEXT NOT NULL,        -- first touchpoint, or creation
  customer_at         TEXT,
  deal_amount         INTEGER,
  deal_currency       TEXT,
  erased_at           TEXT,
  version             INTEGER NOT NULL DEFAULT 0, -- optimistic concurrency
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX leads_site_email ON leads(site_key, email_key);
CREATE INDEX leads_site_created ON leads(site_key, created_at, id);
CREATE INDEX leads_site_stage ON leads(site_key, stage, created_at);
CREATE INDEX leads_site_first_campaign ON leads(site_key, first_campaign, created_at);
CREATE INDEX leads_site_last_campaign ON leads(site_key, last_campaign, created_at);

-- A visitor id (given with tracking consent) linked to the lead it became.
CREATE TABLE lead_visitors (
  site_key   TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  visitor_id TEXT NOT NULL,
  lead_id    TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_key, visitor_id)
) WITHOUT ROWID;
CREATE INDEX lead_visitors_lead ON lead_visitors(lead_id);

CREATE TABLE touchpoints (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  site_key     TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  event_id     TEXT NOT NULL,
  type         TEXT NOT NULL,
  occurred_at  TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  url          TEXT NOT NULL,
  path         TEXT NOT NULL,
  referrer     TEXT,
  utm_source   TEXT,
  utm_medium   TEXT,
  utm_campaign TEXT,
  utm_term     TEXT,
  utm_content  TEXT,
  form_id      TEXT,
  props        TEXT,
  visitor_id   TEXT,                        -- only with tracking consent
  daily_hash   TEXT,                        -- keyed daily hash without consent; dropped on attach
  lead_id      TEXT REFERENCES leads(id) ON DELETE SET NULL,
  UNIQUE (site_key, event_id)
);
CREATE INDEX touchpoints_visitor ON touchpoints(site_key, visitor_id) WHERE visitor_id IS NOT NULL;
CREATE INDEX touchpoints_daily_hash ON touchpoints(site_key, daily_hash) WHERE daily_hash IS NOT NULL;
CREATE INDEX touchpoints_lead ON touchpoints(lead_id, occurred_at) WHERE lead_id IS NOT NULL;
CREATE INDEX touchpoints_site_received ON touchpoints(site_key, received_at);

CREATE TABLE submissions (
  site_key      TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  submission_id TEXT NOT NULL,
  nonce         TEXT NOT NULL,              -- which request wrote it (idempotent races)
  lead_id       TEXT REFERENCES leads(id) ON DELETE SET NULL,
  form_id       TEXT NOT NULL,
  fields        TEXT NOT NULL,              -- normalised values as submitted
  page_url      TEXT NOT NULL,
  referrer      TEXT,
  utm           TEXT,
  response      TEXT NOT NULL,              -- the answer, replayed for the same submissionId
  created_at    TEXT NOT NULL,
  PRIMARY KEY (site_key, submission_id)
) WITHOUT ROWID;
CREATE INDEX submissions_lead ON submissions(lead_id, created_at);

-- Append-only consent ledger (docs/consent-and-privacy.md#ledger). The network address is only ever
-- reduced (IPv4 /24, IPv6 /48).
CREATE TABLE consent_ledger (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  site_key      TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  lead_id       TEXT REFERENCES leads(id) ON DELETE SET NULL,
  purpose       TEXT NOT NULL,
  status        TEXT NOT NULL,              -- granted, withdrawn, pending, confirmed
  method        TEXT NOT NULL,              -- checkbox, double_opt_in, link
  text_id       TEXT REFERENCES consent_texts(id),
  text_sha256   TEXT,
  form_id       TEXT,
  page_url      TEXT,
  submission_id TEXT,
  network       TEXT,
  user_agent    TEXT,
  created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX consent_ledger_submission ON consent_ledger(site_key, submission_id, purpose)
  WHERE submission_id IS NOT NULL;
CREATE INDEX consent_ledger_lead ON consent_ledger(lead_id, purpose, id);

CREATE TABLE stage_history (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  site_key       TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  lead_id        TEXT NOT NULL,             -- kept after erasure as an anonymous id
  from_stage     TEXT,
  to_stage       TEXT NOT NULL,
  cause          TEXT NOT NULL,             -- 'rule' or 'manual'
  rule_id        TEXT,
  token_id       TEXT,
  reason         TEXT,
  value_amount   INTEGER,
  value_currency TEXT,
  created_at     TEXT NOT NULL
);
CREATE INDEX stage_history_lead ON stage_history(lead_id, id);
CREATE INDEX stage_history_site_stage ON stage_history(site_key, to_stage, lead_id);

CREATE TABLE campaigns (
  site_key     TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  campaign_key TEXT NOT NULL,
  name         TEXT,
  channel      TEXT,
  source       TEXT,
  medium       TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (site_key, campaign_key)
) WITHOUT ROWID;

-- One row per campaign and day: a re-import of the same day replaces it.
CREATE TABLE campaign_spend (
  site_key     TEXT NOT NULL,
  campaign_key TEXT NOT NULL,
  day          TEXT NOT NULL,               -- YYYY-MM-DD
  amount       INTEGER NOT NULL,            -- minor units
  currency     TEXT NOT NULL,               -- ISO 4217
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (site_key, campaign_key, day),
  FOREIGN KEY (site_key, campaign_key) REFERENCES campaigns(site_key, campaign_key) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX campaign_spend_site_day ON campaign_spend(site_key, day);

-- Submissions held back as spam, with the reason; purged after 30 days.
CREATE TABLE spam (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  site_key   TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  reason     TEXT NOT NULL,                 -- honeypot, too_fast, turnstile, rate, disposable
  form_id    TEXT,
  email_domain TEXT,
  payload    TEXT,                          -- bounded JSON of what was submitted
  created_at TEXT NOT NULL
);
CREATE INDEX spam_site_created ON spam(site_key, created_at);
CREATE INDEX spam_created ON spam(created_at);

-- Salts of the keyed daily visitor hash: one a day, deleted after 48 hours.
CREATE TABLE daily_salts (
  day        TEXT PRIMARY KEY,
  salt       TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Double opt-in and consent-receipt links; tokens are stored hashed.
CREATE TABLE lead_tokens (
  token_hash TEXT PRIMARY KEY,
  lead_id    TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  site_key   TEXT NOT NULL,
  purpose    TEXT NOT NULL,                 -- optin, consent
  expires_at TEXT,
  used_at    TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX lead_tokens_lead ON lead_tokens(lead_id);

-- Local mail outbox (development and tests), read by tests.
CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  site_key   TEXT NOT NULL,
  lead_id    TEXT REFERENCES leads(id) ON DELETE CASCADE,
  recipient  TEXT NOT NULL,
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
