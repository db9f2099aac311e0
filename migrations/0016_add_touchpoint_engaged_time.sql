-- Engaged time (docs/wire-contract.md#engaged-time): an `engaged_time` touchpoint carries the whole
-- seconds (1–3600) its page view was visible and in use since the page view's previous
-- `engaged_time`, and the event id of that `page_view`. Both stay NULL on every other type.
-- The sum of a page view's `value`s is its engaged time.
ALTER TABLE touchpoints ADD COLUMN value INTEGER;        -- seconds, only on engaged_time
ALTER TABLE touchpoints ADD COLUMN page_view_id TEXT;    -- event_id of the page_view, only on engaged_time
