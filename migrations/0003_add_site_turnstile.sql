-- Sites may turn on Cloudflare Turnstile for their forms (SPEC §6).
ALTER TABLE sites ADD COLUMN turnstile INTEGER NOT NULL DEFAULT 0;
