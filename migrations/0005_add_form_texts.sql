-- Form texts per language (docs/wire-contract.md#texts-per-language): the title, description,
-- submit label and thank-you heading as given, one string or one per language. The plain
-- columns keep the text in the form's first language, so SQL readers still see a title.
ALTER TABLE forms ADD COLUMN texts TEXT;
