import type { FormKind } from '../../../../../shared/vocabulary'
import type { IntentFormKind } from '../form-kinds'
import type { ResolvedRules } from '../rules'
import { engagementAt } from './score'
import type { EngagementReason, EngagementState } from './state'

/** Each intent form's own words; a new intent kind fails to compile here until it has some. */
const INTENT_WORDS: Partial<Record<FormKind, string>> = {
  demo_request: 'requested a demo',
  quote_request: 'requested a quote',
  contact_sales: 'asked sales to get in touch',
} satisfies Record<IntentFormKind, string>

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`
}

/** `45 s`, `14 min`, `2 h 5 min`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.round(seconds / 60)
  return minutes < 60
    ? `${minutes} min`
    : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`
}

function describeReason(reason: EngagementReason): string {
  const points = `+${reason.points}`
  const seen = reason.seen ?? reason.count
  const capped = seen > reason.count ? ` (${reason.count} counted, daily cap)` : ''
  const quoted = reason.label ? ` '${reason.label}'` : ''
  switch (reason.kind) {
    case 'pageView':
      return capped
        ? `${points} viewed pages ${times(seen)} on ${reason.day}${capped}`
        : `${points} viewed ${reason.count} page${reason.count === 1 ? '' : 's'} on ${reason.day}`
    case 'pricingView':
      return `${points} viewed ${reason.count === 1 && reason.path ? `pricing page ${reason.path}` : 'pricing pages'} ${times(seen)} on ${reason.day}${capped}`
    case 'returnVisit':
      return `${points} came back on ${reason.day}`
    case 'engagedTime':
      return `${points} engaged ${duration(reason.seconds ?? 0)} on ${reason.day}`
    case 'content':
      return `${points} downloaded${quoted || (reason.path ? ` ${reason.path}` : ' content')}`
    case 'newsletter':
      return `${points} signed up for the newsletter`
    case 'webinar':
      return `${points} registered for webinar${quoted}`
    case 'intentForm': {
      const words = (reason.form && INTENT_WORDS[reason.form]) ?? 'sent an intent form'
      return `${points} ${words}${reason.label ? ` (${quoted.trim()})` : ''}`
    }
  }
}

function formatPoints(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

/**
 * Human-readable engagement reasons, newest first: one line per form,
 * download, return visit and day of page views, then the points of reasons
 * folded away, then how much the half-life has taken off. The lines add up
 * to the engagement score at `now` (to a tenth).
 */
export function describeEngagement(
  state: EngagementState,
  now: Date,
  rules: ResolvedRules,
): string[] {
  const lines = state.reasons
    .map((reason, index) => ({ reason, index }))
    // Views and minutes past the point where more adds a point earn no line of their own.
    .filter(({ reason }) => reason.points > 0)
    .sort((a, b) => b.reason.day.localeCompare(a.reason.day) || b.index - a.index)
    .map(({ reason }) => describeReason(reason))
  if (state.earlier > 0) lines.push(`+${formatPoints(state.earlier)} earlier touchpoints`)
  const aged = state.total - engagementAt(state, now, rules)
  if (aged >= 0.05) {
    lines.push(
      `-${aged.toFixed(1)} older touchpoints count less (half-life ${rules.halfLifeDays} days)`,
    )
  }
  return lines
}
