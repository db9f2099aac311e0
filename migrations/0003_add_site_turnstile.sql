-- Sites may turn on Cloudflare Turnstile for their forms (docs/spam-and-abuse.md#turnstile).
ALTER TABLE sites ADD COLUMN turnstile INTEGER NOT NULL DEFAULT 0;
