-- The language the lead last submitted a form in ('de' or 'en'); its mails and consent pages use
-- it (docs/consent-and-privacy.md#language). NULL for leads stored before: they get the site's.
ALTER TABLE leads ADD COLUMN locale TEXT;
