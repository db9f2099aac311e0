/** A campaign touch: where a lead came from, and when. */
export interface Touch {
  source: string | null
  medium: string | null
  campaign: string | null
  at: string | null
}

export interface TouchCandidate {
  source: string | null
  medium: string | null
  campaign: string | null
  at: string
}

/** Campaign keys are `utm_campaign` trimmed and lower-cased, so `Q4-Whitepaper ` and `q4-whitepaper` are one. */
export function campaignKey(value: string | undefined | null): string | null {
  const key = value?.trim().toLowerCase()
  return key ? key : null
}

export const NO_TOUCH: Touch = { source: null, medium: null, campaign: null, at: null }

/**
 * First- and last-touch attribution (docs/report.md#first-and-last-touch):
 * the earliest and the latest touch that carried a
 * campaign, across what the lead already had and the new candidates
 * (attached touchpoints, the submission's own UTM). A touch with only a
 * source is no campaign touch.
 */
export function updateTouches(
  current: { first: Touch; last: Touch },
  candidates: readonly TouchCandidate[],
): { first: Touch; last: Touch } {
  let { first, last } = current
  for (const candidate of candidates) {
    if (!candidate.campaign) continue
    if (first.at === null || candidate.at < first.at) first = candidate
    if (last.at === null || candidate.at >= last.at) last = candidate
  }
  return { first, last }
}
