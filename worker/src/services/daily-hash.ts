import { dailySalt } from '../db/salts'
import { dailyVisitorHash } from '../domain/visitor-hash'
import type { RequestFacts } from '../lib/request-facts'
import { nowIso, utcDay } from '../lib/time'

/** The request's daily visitor hash for a site (used only where no visitor id was given). */
export async function requestDailyHash(
  db: D1Database,
  request: Pick<RequestFacts, 'address' | 'userAgent'>,
  siteKey: string,
  now: Date,
): Promise<string> {
  const day = utcDay(now)
  const salt = await dailySalt(db, day, nowIso(now))
  return dailyVisitorHash(salt, {
    address: request.address,
    userAgent: request.userAgent ?? '',
    siteKey,
    day,
  })
}
