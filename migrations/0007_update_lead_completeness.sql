-- Completeness is judged by what a lead was asked (docs/completeness.md#completeness): a required
-- field is missing only where a form the lead submitted asks for it. Leads stored before kept
-- every required field they lacked, so a newsletter signup stayed incomplete for good. Each
-- incomplete lead keeps only the missing fields that a form it submitted asks for (the forms as
-- they are now: what a form asked then is not stored), and is complete once none is left. Its
-- stage moves at its next touchpoint or submission, as the rules decide.
UPDATE leads
SET missing = (
      SELECT json_group_array(m.value)
      FROM json_each(leads.missing) AS m
      WHERE m.value IN (
        SELECT json_extract(f.value, '$.name')
        FROM submissions AS s
        JOIN forms AS fo ON fo.site_key = s.site_key AND fo.form_id = s.form_id,
             json_each(fo.fields) AS f
        WHERE s.lead_id = leads.id
      )
    ),
    version = version + 1
WHERE complete = 0 AND erased_at IS NULL;
UPDATE leads SET complete = 1 WHERE complete = 0 AND missing = '[]' AND erased_at IS NULL;
