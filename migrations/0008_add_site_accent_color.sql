-- A site may give its consent pages its own accent colour, #rrggbb; NULL takes
-- the default #1d4ed8 (docs/consent-and-privacy.md#branding).
ALTER TABLE sites ADD COLUMN accent_color TEXT;
