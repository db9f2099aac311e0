import type { Context } from 'hono'
import { dailySalt } from '../db/salts'
import type { AppEnv } from '../env'
import { clientAddress } from './network'
import { nowIso, utcDay } from './time'
import { dailyVisitorHash } from '../domain/visitor-hash'

/** The request's daily visitor hash for a site (used only where no visitor id was given). */
export async function requestDailyHash(
  c: Context<AppEnv>,
  siteKey: string,
  now: Date,
): Promise<string> {
  const day = utcDay(now)
  const salt = await dailySalt(c.env.DB, day, nowIso(now))
  return dailyVisitorHash(salt, {
    address: clientAddress(c.req.raw),
    userAgent: (c.req.header('user-agent') ?? '').slice(0, 512),
    siteKey,
    day,
  })
}
