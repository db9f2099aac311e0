-- A held spam submission keeps the whole validated submission in `payload`, with the network,
-- user agent and time the consent ledger needs, so a person can release it into a lead
-- (docs/spam-and-abuse.md#release). `email_key` is the normalised address it named, so erasing
-- that lead deletes its held copies too (docs/consent-and-privacy.md#erasure).
ALTER TABLE spam ADD COLUMN email_key TEXT;
CREATE INDEX spam_site_email ON spam(site_key, email_key) WHERE email_key IS NOT NULL;

-- A site's form theme: the widget's nine custom properties as a JSON object, NULL for none
-- (widget/README.md#theming).
ALTER TABLE sites ADD COLUMN theme TEXT;
