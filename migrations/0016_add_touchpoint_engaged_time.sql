ALTER TABLE touchpoints ADD COLUMN value INTEGER;
ALTER TABLE touchpoints ADD COLUMN page_view_id TEXT;
