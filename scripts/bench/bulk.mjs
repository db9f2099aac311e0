/**
 * Bulk seeding straight into a local D1's SQLite file, for the large site
 * (scripts/seed-large.mjs) and the 1,000,000-touchpoint site of the bench
 * (issue 16): no row travels through a `wrangler d1 execute` or the API.
 *
 * The file is the one `wrangler d1 migrations apply --local --persist-to`
 * made; Node's own `node:sqlite` (Node ≥ 22.13, no `sqlite3` binary) opens it
 * while no `wrangler dev` has it open. Rows come from recursive CTEs in big
 * transactions; the indexes of the tables written are dropped first and made
 * again afterwards from their own `CREATE INDEX` text, so they are exactly
 * what the migrations define (building an index once is far cheaper than
 * keeping it sorted through millions of inserts). Event ids are zero-padded
 * numbers, so the one index that stays (`UNIQUE (site_key, event_id)`) is
 * appended to in order rather than written all over.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { d1Files, storeMarker } from '../dev/collector.mjs'

/** The local D1's database file in `persistTo` (miniflare's Durable Object store). */
export function d1File(persistTo) {
  const dir = path.join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const files = d1Files(persistTo)
  if (files.length === 1) return path.join(dir, files[0])
  // Two stores (docs/scale.md#stores): `migrate` noted which file is `DB`'s.
  const marker = storeMarker(persistTo, 'DB')
  const noted = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : null
  if (!noted || !files.includes(noted)) {
    throw new Error(`cannot tell DB's file among the ${files.length} D1 database files in ${dir}`)
  }
  return path.join(dir, noted)
}

/** Bytes of the local D1's database file (with its write-ahead log, if any). */
export function d1Bytes(persistTo) {
  const file = d1File(persistTo)
  const size = (name) => {
    try {
      return statSync(name).size
    } catch {
      return 0
    }
  }
  return size(file) + size(`${file}-wal`)
}

/**
 * Opens the local D1 in `persistTo` for bulk writes and runs `seed(db)`; answers
 * its result. Foreign keys are not enforced, so rows may name a site the API
 * creates later (its upsert keeps them). The file is in WAL mode; for the seeding it is
 * switched to a rollback journal in memory (a WAL would hold a copy of every page written by
 * a transaction of millions of rows) and back to WAL at the end. A failure
 * half-way leaves a half-seeded file: callers seed into a fresh directory and
 * mark it seeded only afterwards.
 */
export async function withD1File(persistTo, seed) {
  // Loaded here, so scripts that never seed run on Node versions without it; its one
  // "experimental" warning would only clutter the progress lines.
  const emitWarning = process.emitWarning
  process.emitWarning = (warning, ...rest) =>
    String(warning).includes('SQLite') ? undefined : emitWarning.call(process, warning, ...rest)
  const { DatabaseSync } = await import('node:sqlite')
  process.emitWarning = emitWarning
  const db = new DatabaseSync(d1File(persistTo))
  try {
    db.exec(
      `PRAGMA foreign_keys = OFF; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -524288;`,
    )
    return await seed(db)
  } finally {
    db.exec('PRAGMA journal_mode = WAL')
    db.close()
  }
}

/**
 * Runs `write()` with the indexes of `tables` dropped, then creates them again
 * from their stored SQL, in one transaction. Indexes SQLite makes for UNIQUE
 * and PRIMARY KEY constraints (`sqlite_autoindex_*`, no SQL) cannot be dropped
 * and are kept up to date throughout. Answers the seconds spent on the indexes.
 */
export function withoutIndexes(db, tables, write) {
  const marks = tables.map(() => '?').join(', ')
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${marks})`,
    )
    .all(...tables)
  db.exec('BEGIN')
  try {
    for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`)
    write()
    const started = performance.now()
    for (const { sql } of indexes) db.exec(sql)
    db.exec('COMMIT')
    return (performance.now() - started) / 1000
  } catch (error) {
    db.exec('ROLLBACK')
    throw error
  }
}

/** `WITH RECURSIVE n(i)` over `[from, to)`, for `INSERT … SELECT … FROM n`. */
export const numbers = (from, to) =>
  `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to - 1})`

/** A UUID (version 4 layout) whose last twelve digits are the SQL expression `i`, under `prefix` (8 hex digits). */
export const sqlUuid = (prefix, i) => `printf('${prefix}-0000-4000-8000-%012d', ${i})`

/** The same UUID in JavaScript, for the submissions that name a seeded visitor. */
export const uuidOf = (prefix, i) => `${prefix}-0000-4000-8000-${String(i).padStart(12, '0')}`

const iso = (epoch) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${epoch}, 'unixepoch')`

/**
 * A site's anonymous traffic and its submitters' earlier visits, as the bench's
 * "leads at 1,000,000 touchpoints" site needs them (issue 16): `total`
 * touchpoints in all, of which `submitters × earlier` are the page views of the
 * visitors the load's submissions name (`uuidOf(submitterPrefix, i)`, received
 * over the last week, none attached yet); the rest spread over
 * `total / 10` other visitors over the last 90 days, half of them with a
 * visitor id (tracking consent) and half with only a daily hash, as the widget
 * sends them, none attached to a lead. Answers the seconds taken.
 */
export async function seedSiteTraffic(
  persistTo,
  { siteKey, total, submitters, earlier, submitterPrefix, origin },
) {
  const started = performance.now()
  const own = submitters * earlier
  const background = total - own
  if (background < 0) throw new Error('more earlier touchpoints than touchpoints in all')
  const visitors = Math.max(1, Math.floor(background / 10))
  const now = Math.floor(Date.now() / 1000)
  const day = 86_400
  await withD1File(persistTo, (db) =>
    withoutIndexes(db, ['touchpoints'], () => {
      // Visitor v's views: every tenth touchpoint or so, scattered over 90 days (i * 7919 mod 90 days).
      db.exec(`
${numbers(0, background)}
INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path, referrer,
  utm_source, utm_medium, utm_campaign, visitor_id, daily_hash)
SELECT '${siteKey}', printf('bg-%010d', i), CASE WHEN i % 11 = 0 THEN 'form_view' ELSE 'page_view' END,
  ${iso(`${now} - (i * 7919) % ${90 * day}`)}, ${iso(`${now} - (i * 7919) % ${90 * day}`)},
  '${origin}/p' || (i % 200), '/p' || (i % 200), CASE WHEN i % 3 = 0 THEN 'https://www.google.com/' END,
  CASE WHEN i % 4 = 0 THEN 'linkedin' END, CASE WHEN i % 4 = 0 THEN 'paid' END,
  CASE WHEN i % 4 = 0 THEN 'campaign-' || (i % 20) END,
  CASE WHEN (i % ${visitors}) % 2 = 0 THEN ${sqlUuid('0000b9b9', `i % ${visitors}`)} END,
  CASE WHEN (i % ${visitors}) % 2 = 1 THEN 'hash-' || (i % ${visitors}) || '-' || ((i * 7919) % 90) END
FROM n;
${numbers(0, own)}
INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path,
  utm_source, utm_medium, utm_campaign, visitor_id)
SELECT '${siteKey}', printf('own-%010d', i), CASE WHEN i % ${earlier} = 0 THEN 'download' ELSE 'page_view' END,
  ${iso(`${now} - ${7 * day} + (i % ${earlier}) * 3600 + (i / ${earlier}) % ${day}`)},
  ${iso(`${now} - ${7 * day} + (i % ${earlier}) * 3600 + (i / ${earlier}) % ${day}`)},
  '${origin}/pricing', '/pricing', 'linkedin', 'paid', 'bench',
  ${sqlUuid(submitterPrefix, `i / ${earlier}`)}
FROM n;
`)
    }),
  )
  return (performance.now() - started) / 1000
}
