-- A start token serves one submission (docs/spam-and-abuse.md#one-token-one-submission): the first
-- submission that passes the checks with it is recorded here, and another submission with the same
-- token is held as spam. A row goes once its token can no longer be valid (the hourly upkeep).
CREATE TABLE start_token_uses (
  token_sha256  TEXT PRIMARY KEY,             -- SHA-256 of the token, not the token
  site_key      TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  submission_id TEXT NOT NULL,
  expires_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX start_token_uses_expiry ON start_token_uses(expires_at);
