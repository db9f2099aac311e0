-- People who sign in to the app (docs/app-sign-in.md), their role on each site, their sessions and
-- the one-time links mailed to them. Secrets are stored as SHA-256 only: a session cookie, a
-- sign-in link and an invitation link are shown once (in the cookie, in the mail) and never again.
CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,      -- lower-cased
  locale          TEXT NOT NULL DEFAULT 'en', -- the language of the mails sent to them
  created_at      TEXT NOT NULL,
  last_sign_in_at TEXT
);

CREATE TABLE user_site_roles (
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  site_key   TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'marketer', 'sales', 'viewer')),
  invited_by TEXT NOT NULL,                   -- the actor: root, a token id or user:<id>
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, site_key)
) WITHOUT ROWID;
CREATE INDEX user_site_roles_site ON user_site_roles(site_key);

-- A session is a person's (user_id), a site token's (token_id: revoking the token ends it) or the
-- root token's (root_sha256: a new root token ends it). It ends at expires_at, on sign-out
-- (revoked_at) or when its user loses their last role.
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  token_sha256 TEXT NOT NULL UNIQUE,
  kind         TEXT NOT NULL CHECK (kind IN ('root', 'site', 'user')),
  user_id      TEXT REFERENCES users(id) ON DELETE CASCADE,
  token_id     TEXT REFERENCES tokens(id) ON DELETE CASCADE,
  root_sha256  TEXT,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- One-time links: a sign-in link (15 minutes) or an invitation (7 days); used once.
CREATE TABLE sign_in_links (
  token_sha256 TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose      TEXT NOT NULL CHECK (purpose IN ('sign_in', 'invite')),
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  used_at      TEXT
) WITHOUT ROWID;
CREATE INDEX sign_in_links_user ON sign_in_links(user_id);
CREATE INDEX sign_in_links_expiry ON sign_in_links(expires_at);
