-- The learned score per site (docs/stages-and-scoring.md#learned-score): every trained model is
-- kept as a version; the latest one scores the site's leads when it is `used`.
CREATE TABLE score_models (
  site_key          TEXT NOT NULL REFERENCES sites(site_key) ON DELETE CASCADE,
  version           INTEGER NOT NULL,
  trained_at        TEXT NOT NULL,
  examples          INTEGER NOT NULL,
  positives         INTEGER NOT NULL,
  auc               REAL NOT NULL,            -- cross-validated (5 folds)
  rule_auc          REAL NOT NULL,            -- the rule score's, on the same leads
  calibration_error REAL NOT NULL,            -- expected calibration error, 10 bins
  used              INTEGER NOT NULL,
  model             TEXT NOT NULL,            -- JSON: vocabulary, weights, standardisation
  PRIMARY KEY (site_key, version)
) WITHOUT ROWID;

-- The site's training settings (shared/site.ts `model`); NULL: the defaults.
ALTER TABLE sites ADD COLUMN model_settings TEXT;

-- The lead's probability under the site's current model, its readable factors, and which
-- model version scored it (NULL: none yet), so a new version rescores in bounded batches.
ALTER TABLE leads ADD COLUMN conversion_probability REAL;
ALTER TABLE leads ADD COLUMN conversion_factors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE leads ADD COLUMN model_version INTEGER;

-- The lead list by probability, highest first, leads without one last (worker/src/db/lead-list.ts).
CREATE INDEX leads_site_probability
  ON leads(site_key, COALESCE(conversion_probability, -1), id) WHERE erased_at IS NULL;
-- The leads a new model version has not scored yet.
CREATE INDEX leads_site_model_version ON leads(site_key, model_version);
