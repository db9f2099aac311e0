import type { ResolvedRules } from './rules'
import type { Temperature } from '../../../../shared/site'
import { engagementAt, type EngagementState } from './engagement'

const DAY_MS = 86_400_000

function within(time: string | null, now: Date, days: number): boolean {
  if (time === null) return false
  const at = Date.parse(time)
  // Inclusive: a touchpoint exactly 14 days ago is still "in the last 14 days".
  return !Number.isNaN(at) && at >= now.getTime() - days * DAY_MS
}

/**
 * The lead's temperature at `now` (docs/stages-and-scoring.md#temperature): `hot` with an intent
 * form or a pricing-page view in the last `hotWindowDays` (14) and engagement of at least
 * `hotThreshold`, `warm` with any own interaction in the last `warmWindowDays` (30), else `cold`.
 */
export function temperatureAt(
  state: EngagementState,
  now: Date,
  rules: ResolvedRules,
): Temperature {
  if (
    (within(state.lastIntentAt, now, rules.hotWindowDays) ||
      within(state.lastPricingAt, now, rules.hotWindowDays)) &&
    engagementAt(state, now, rules) >= rules.hotThreshold - 1e-9
  ) {
    return 'hot'
  }
  if (within(state.lastInteractionAt, now, rules.warmWindowDays)) return 'warm'
  return 'cold'
}
