import type { Ctx } from '../context'

/**
 * Frequency caps without consent: nothing may be stored on the device
 * (docs/consent-and-privacy.md#tracking), so they are
 * kept here and last as long as the document (a reload forgets them).
 */
const memory: Record<string, number> = {}

/** Web storage only with `tracking` consent; it may also be missing or throw (MDN: SecurityError). */
const storage = (ctx: Ctx, session?: boolean) => {
  try {
    return ctx.v() ? (session ? sessionStorage : localStorage) : undefined
  } catch {}
}

/** When `key` was last recorded (ms since the epoch), or 0. */
export const recall = (ctx: Ctx, key: string, session?: boolean) =>
  +(storage(ctx, session)?.getItem(key) || memory[key] || 0)

/** Records `key` now: in memory always, in web storage with consent. */
export const remember = (ctx: Ctx, key: string, session?: boolean) => {
  try {
    storage(ctx, session)?.setItem(key, '' + (memory[key] = Date.now()))
  } catch {}
}
