/** The learned score of site `acme` as the examples of the admin API show it. */
export const MODEL_SUMMARY_EXAMPLE = {
  version: 3,
  trainedAt: '2026-11-30T04:00:12.000Z',
  examples: 1840,
  positives: 212,
  auc: 0.861,
  ruleAuc: 0.702,
  calibrationError: 0.031,
  used: true,
}

export const MODEL_SETTINGS_EXAMPLE = { minPositives: 50, negativeAfterDays: 90 }
