-- The form builder shows, per consent wording, how many leads of a form were shown it
-- (docs/app.md#forms): counted through this index rather than a scan of the ledger.
CREATE INDEX consent_ledger_text ON consent_ledger(text_id, form_id, lead_id);
