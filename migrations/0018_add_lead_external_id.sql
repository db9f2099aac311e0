-- A lead imported from another tool keeps that tool's id (docs/import.md): importing the same
-- lead again finds it by this id and never makes a second lead. Unique per site; leads captured
-- by the widget have none.
ALTER TABLE leads ADD COLUMN external_id TEXT;

CREATE UNIQUE INDEX leads_site_external_id ON leads(site_key, external_id)
  WHERE external_id IS NOT NULL;
