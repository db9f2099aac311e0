import { z } from 'zod'
import { MODEL_SETTINGS_EXAMPLE, MODEL_SUMMARY_EXAMPLE } from './examples/model'

/**
 * The learned score per site (docs/stages-and-scoring.md#learned-score): a logistic regression
 * trained on the site's own outcomes.
 */

/** A site's training settings (`model` of the site settings). */
export const ModelSettingsSchema = z
  .object({
    /** Positives (leads that reached `opportunity` or `customer`) needed before the model is used. */
    minPositives: z.number().int().min(10).max(100_000).default(50),
    /** Days after which a lead (created and last moved that long ago) without progress is a negative. */
    negativeAfterDays: z.number().int().min(1).max(3650).default(90),
  })
  .strict()
  .meta({ example: MODEL_SETTINGS_EXAMPLE })
export type ModelSettings = z.output<typeof ModelSettingsSchema>

export const DEFAULT_MODEL_SETTINGS: ModelSettings = { minPositives: 50, negativeAfterDays: 90 }

/** `POST` and `GET /v1/admin/sites/{siteKey}/model`: a trained version and how well it ranks. */
export const ModelSummarySchema = z
  .object({
    version: z.number().int(),
    trainedAt: z.string(),
    /** Leads with an outcome it learned from. */
    examples: z.number().int(),
    positives: z.number().int(),
    /** ROC AUC, 5-fold cross-validated. */
    auc: z.number(),
    /** The rule score's (fit + engagement) ROC AUC on the same leads. */
    ruleAuc: z.number(),
    /** Expected calibration error of the cross-validated probabilities (10 bins). */
    calibrationError: z.number(),
    /** Whether it scores the leads: enough positives and an AUC at least 0.02 above the rules'. */
    used: z.boolean(),
  })
  .meta({ example: MODEL_SUMMARY_EXAMPLE })
export type ModelSummary = z.infer<typeof ModelSummarySchema>
