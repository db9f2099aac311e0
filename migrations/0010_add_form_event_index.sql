-- The form funnel (worker/src/db/reports.ts FORMS_SQL, docs/report.md#forms)
-- counts a site's `form_view` and `form_start` events in a range. Through
-- `touchpoints_site_received` it read every touchpoint of the range (page
-- views, campaign touches) to find the few form events; this partial index
-- holds only those events, with the columns the count needs, so the funnel
-- is answered from the index alone. Touchpoints of other types do not touch it.
CREATE INDEX touchpoints_form_events ON touchpoints(site_key, received_at, type, form_id)
  WHERE type IN ('form_view', 'form_start');
