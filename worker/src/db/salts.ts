import { randomToken } from '../lib/crypto'

const cache = new Map<string, string>()

/**
 * The salt of the keyed daily visitor hash for a UTC day, created on first
 * use. Salts older than 48 hours are deleted by the scheduled job, after
 * which no hash of that day can be recomputed.
 */
export async function dailySalt(db: D1Database, day: string, now: string): Promise<string> {
  const cached = cache.get(day)
  if (cached) return cached
  const [, row] = await db.batch([
    db
      .prepare('INSERT OR IGNORE INTO daily_salts (day, salt, created_at) VALUES (?1, ?2, ?3)')
      .bind(day, randomToken(32), now),
    db.prepare('SELECT salt FROM daily_salts WHERE day = ?1').bind(day),
  ])
  const salt = (row?.results[0] as { salt: string } | undefined)?.salt
  if (!salt) throw new Error('daily salt missing')
  if (cache.size > 4) cache.clear()
  cache.set(day, salt)
  return salt
}
