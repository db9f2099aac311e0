/**
 * Which anonymous touchpoints a submitting lead may take over
 * (docs/consent-and-privacy.md#which-anonymous-touchpoints-join-a-lead).
 *
 * A daily hash is shared by everybody behind one address with one browser build (an office
 * NAT, a carrier's CGNAT), so "same hash" is no proof of "same person". The rows under the hash
 * join a lead only where they can only be the submitter's: the last stretch of activity before
 * the submission (no gap over 30 minutes) is one linear chain of page views, starting at a
 * landing, each page reached from the one before, ending at the submitting page. Anything that
 * does not fit (a second landing, a page reached from elsewhere, an event on another page, a
 * page continuing from where earlier activity of the hash stopped less than two hours before,
 * as an idle tab would) means somebody else may have been there too, and then nothing
 * anonymous joins.
 */

/** A gap longer than this ends a chain: the visit is over, whoever comes next. */
export const CHAIN_GAP_MS = 30 * 60 * 1000

/**
 * How long a page left idle is taken to be still open in some tab: a page reached from a
 * page where earlier activity stopped within this time may be that tab's.
 */
export const OPEN_TAB_MS = 2 * 3600 * 1000

/** One stored touchpoint as the rule reads it. */
export interface JourneyCandidate {
  eventId: string
  type: string
  occurredAt: string
  /** Origin and path, as stored. */
  url: string
  /** Origin and path, or `null` for a direct visit. */
  referrer: string | null
  /**
   * `true`: sent with the submitter's own visitor id, certainly theirs. `false`: anonymous,
   * only under the daily hash.
   */
  own: boolean
}

/** The submission: the page it was sent from (origin and path) and when. */
export interface SubmissionPoint {
  url: string
  at: string
}

/**
 * The event ids of the anonymous candidates that are unambiguously the submitter's; empty
 * where that cannot be told. Own rows are never returned (they join by visitor id anyway) but
 * take part in the chain, since they are certainly the submitter's.
 */
export function attachableAnonymous(
  candidates: readonly JourneyCandidate[],
  submission: SubmissionPoint,
): string[] {
  const at = Date.parse(submission.at)
  const timeline = candidates
    .map((row, index) => ({ row, index, time: Date.parse(row.occurredAt) }))
    .filter((entry) => entry.time <= at)
    .sort((a, b) => a.time - b.time || a.index - b.index)
  if (!timeline.length || at - timeline[timeline.length - 1]!.time > CHAIN_GAP_MS) return []

  let start = timeline.length - 1
  while (start > 0 && timeline[start]!.time - timeline[start - 1]!.time <= CHAIN_GAP_MS) start--
  const chain = timeline.slice(start).map((entry) => entry.row)
  const before = timeline.slice(0, start).map((entry) => entry.row)

  // Once the submitter sent its own visitor id, its later events all carry it: an anonymous
  // row after its first own row today is somebody else's.
  const firstOwn = timeline.find((entry) => entry.row.own)?.time ?? Infinity
  if (timeline.some((entry) => !entry.row.own && entry.time > firstOwn)) return []

  // Where earlier activity of the hash stopped, a tab may still be open: a page reached from
  // there, or an event on it, may be that tab's, not the submitter's.
  const ends = endsOfStretches(before)
  const openTab = (url: string | null, row: JourneyCandidate) => {
    const end = url === null ? undefined : ends.get(url)
    return end !== undefined && Date.parse(row.occurredAt) - end <= OPEN_TAB_MS
  }

  const [landing, ...rest] = chain
  if (!landing || landing.type !== 'page_view' || !isLanding(landing)) return []
  let current = landing.url
  for (const row of rest) {
    if (row.type === 'page_view') {
      if (row.referrer !== current || openTab(row.referrer, row)) return []
      current = row.url
    } else if (row.url !== current || openTab(row.url, row)) return []
  }
  if (current !== submission.url) return []
  return chain.filter((row) => !row.own).map((row) => row.eventId)
}

/** A page view that starts a visit: no referrer, or one from another site. */
function isLanding(row: JourneyCandidate): boolean {
  return row.referrer === null || originOf(row.referrer) !== originOf(row.url)
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/** The page each stretch of activity (split at gaps over 30 minutes) last showed, and when it stopped. */
function endsOfStretches(rows: readonly JourneyCandidate[]): Map<string, number> {
  const ends = new Map<string, number>()
  let lastPage: string | null = null
  rows.forEach((row, index) => {
    if (row.type === 'page_view') lastPage = row.url
    const next = rows[index + 1]
    const time = Date.parse(row.occurredAt)
    if (!next || Date.parse(next.occurredAt) - time > CHAIN_GAP_MS) {
      ends.set(lastPage ?? row.url, time)
      lastPage = null
    }
  })
  return ends
}
