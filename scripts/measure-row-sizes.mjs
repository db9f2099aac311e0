#!/usr/bin/env node
// Measures what a touchpoint and a lead cost in D1 storage (docs/scale.md#capacity-model).
// Applies the real migrations to a fresh local D1 (wrangler's, the engine `wrangler dev` runs),
// seeds one site's rows in bulk with `wrangler d1 execute --file` (recursive CTEs, values of the
// lengths the API writes: random UUIDs, ISO times, origin-and-path URLs, consent texts' hashes),
// and reads the bytes of every table and index from SQLite's `dbstat` between the steps (the
// sqlite3 command-line shell on the closed database file: D1 answers neither `dbstat` nor
// `PRAGMA page_count`). Not part of `npm test`. Usage:
//
//   node scripts/measure-row-sizes.mjs                                # 200,000 touchpoints, 20,000 leads
//   node scripts/measure-row-sizes.mjs --touchpoints=500000 --leads=50000
//
// Prints bytes per anonymous touchpoint, per lead with its rows (visitor link, submission, two
// consents, two stage changes) and what attaching a touchpoint to a lead adds.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { d1Execute, migrate, ROOT } from './dev/collector.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=')
    return [key, value ?? 'true']
  }),
)
const TOUCHPOINTS = Number(args.touchpoints ?? 200_000)
const LEADS = Number(args.leads ?? 20_000)
const CHUNK = 100_000
if (![TOUCHPOINTS, LEADS].every((n) => Number.isInteger(n) && n > 0) || TOUCHPOINTS < LEADS) {
  console.error('--touchpoints and --leads take positive integers, touchpoints ≥ leads')
  process.exit(2)
}

const STATE = join(ROOT, '.bench', 'measure-row-sizes')
const SQL_DIR = join(STATE, 'sql')
const SITE = 'acme-industrial'
const ORIGIN = `https://www.${SITE}.example`
const DAY_S = 86_400
const END = Math.floor(Date.now() / 1000)
const START = END - 90 * DAY_S

const numbers = (from, to) =>
  `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to - 1})`
const iso = (epoch) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${epoch}, 'unixepoch')`
/** A UUID-shaped id that is a function of `x` but spread like a random one (index page fill). */
const uuidOf = (x) =>
  `printf('%08x-%04x-4%03x-a%03x-%012x', ((${x}) * 2654435761) % 4294967296, ((${x}) * 40503) % 65536,
    ((${x}) * 2246822519) % 4096, ((${x}) * 3266489917) % 4096, ((${x}) * 668265263) % 281474976710656)`
/** A random UUID-shaped id (event ids come from the browser). */
const RANDOM_UUID = `lower(printf('%s-%s-4%s-a%s-%s', hex(randomblob(4)), hex(randomblob(2)),
  substr(hex(randomblob(2)), 2), substr(hex(randomblob(2)), 2), hex(randomblob(6))))`
const LEAD_SALT = 7_000_003

function setupSql() {
  const now = new Date().toISOString()
  return `
INSERT INTO sites (site_key, name, allowed_origins, required_fields, created_at, updated_at)
VALUES ('${SITE}', 'Acme Industrial GmbH', '["${ORIGIN}"]', '["email","firstName","lastName","company"]', '${now}', '${now}');
INSERT INTO site_origins (origin, site_key) VALUES ('${ORIGIN}', '${SITE}');
INSERT INTO consent_texts (id, site_key, purpose, version, text, sha256, created_at)
VALUES ('ct_marketing00000001', '${SITE}', 'marketing_email', 1, 'Ja, ich möchte per E-Mail Informationen erhalten.', '${'a1'.repeat(32)}', '${now}'),
       ('ct_tracking000000001', '${SITE}', 'tracking', 1, 'Ich bin mit der Auswertung meines Besuchs einverstanden.', '${'b2'.repeat(32)}', '${now}');
`
}

/**
 * Touchpoints as the events route writes them: eight a visitor, six in ten with a visitor id
 * (tracking consent), no daily hash (maintenance drops it after 48 hours), no lead yet.
 */
function touchpointsSql(from, to) {
  const at = `(${START} + i * ${(90 * DAY_S) / TOUCHPOINTS})`
  const path = `(CASE i % 5 WHEN 0 THEN '/' WHEN 1 THEN '/pricing' WHEN 2 THEN '/whitepaper'
    ELSE '/blog/predictive-maintenance-for-industrial-iot-' || (i % 300) END)`
  const type = `(CASE WHEN i % 20 = 0 THEN 'form_view' WHEN i % 20 = 1 THEN 'form_start'
    WHEN i % 20 = 2 THEN 'click' ELSE 'page_view' END)`
  return `
${numbers(from, to)}
INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path, referrer,
  utm_source, utm_medium, utm_campaign, utm_content, form_id, props, visitor_id)
SELECT '${SITE}', ${RANDOM_UUID}, ${type}, ${iso(at)}, ${iso(`${at} + 1`)}, '${ORIGIN}' || ${path}, ${path},
  CASE WHEN i % 4 = 0 THEN 'https://www.google.com/' WHEN i % 10 = 1 THEN 'https://www.linkedin.com/' END,
  CASE WHEN i % 7 = 0 THEN 'linkedin' END, CASE WHEN i % 7 = 0 THEN 'paid' END,
  CASE WHEN i % 7 = 0 THEN 'q4-whitepaper-2026' END, CASE WHEN i % 21 = 0 THEN 'carousel-a' END,
  CASE WHEN i % 20 < 2 THEN 'whitepaper-2026' END,
  CASE WHEN i % 20 < 3 THEN '{"title":"Whitepaper 2026"}' END,
  CASE WHEN i % 10 < 6 THEN ${uuidOf('i / 8')} END
FROM n;
`
}

/**
 * Leads as a submission writes them, each with its visitor link, its submission (fields, page,
 * UTM and the replayable answer), two consents (marketing and tracking) and two stage changes.
 */
function leadsSql(from, to) {
  const at = `(${START} + i * ${(90 * DAY_S) / LEADS})`
  const lead = uuidOf(`i + ${LEAD_SALT}`)
  const submission = uuidOf(`i + ${2 * LEAD_SALT}`)
  const email = `'anna.bergmann' || i || '@firma-' || (i % 5000) || '.de'`
  return `
${numbers(from, to)}
INSERT INTO leads (id, site_key, email, email_key, email_domain, first_name, last_name, company, job_title, phone,
  fields, complete, missing, stage, stage_set_by, stage_changed_at, temperature, fit_score, engagement_score,
  score_reasons, score_state, first_source, first_medium, first_campaign, first_touch_at, last_source, last_medium,
  last_campaign, last_touch_at, first_seen_at, version, created_at, updated_at, write_nonce)
SELECT ${lead}, '${SITE}', ${email}, ${email}, 'firma-' || (i % 5000) || '.de', 'Anna', 'Bergmann',
  'Firma ' || (i % 5000) || ' GmbH', 'Head of Marketing', '+4930' || (1000000 + i),
  '{"industry":"manufacturing"}', 1, '[]', 'mql', 'rule', ${iso(at)}, 'warm', 40, 25,
  '[{"kind":"fit","rule":"job_title","points":20},{"kind":"engagement","rule":"page_views","points":15}]',
  '{"pageViews":8,"formViews":1,"downloads":1,"lastTouchAt":"2026-11-30T10:00:00.000Z"}',
  'linkedin', 'paid', 'q4-whitepaper-2026', ${iso(`${at} - 86400`)}, 'google', 'organic', NULL, ${iso(at)},
  ${iso(`${at} - 86400`)}, 3, ${iso(at)}, ${iso(at)}, lower(hex(randomblob(8)))
FROM n;
${numbers(from, to)}
INSERT INTO lead_visitors (site_key, visitor_id, lead_id, created_at)
SELECT '${SITE}', ${uuidOf(`i + ${3 * LEAD_SALT}`)}, ${lead}, ${iso(at)} FROM n;
${numbers(from, to)}
INSERT INTO submissions (site_key, submission_id, nonce, lead_id, form_id, fields, page_url, referrer, utm, response, created_at)
SELECT '${SITE}', ${submission}, lower(hex(randomblob(8))), ${lead}, 'whitepaper-2026',
  '{"email":"' || ${email} || '","firstName":"Anna","lastName":"Bergmann","company":"Firma ' || (i % 5000) ||
    ' GmbH","jobTitle":"Head of Marketing","phone":"+4930' || (1000000 + i) || '"}',
  '${ORIGIN}/whitepaper', 'https://www.linkedin.com/',
  '{"source":"linkedin","medium":"paid","campaign":"q4-whitepaper-2026"}',
  '{"leadId":"' || ${lead} || '","status":"created","download":{"url":"https://collector.example/v1/downloads/' ||
    lower(hex(randomblob(60))) || '","filename":"whitepaper-2026.pdf"}}',
  ${iso(at)}
FROM n;
${numbers(from, to)}, p(purpose, text_id, sha) AS (VALUES ('marketing_email', 'ct_marketing00000001', '${'a1'.repeat(32)}'),
  ('tracking', 'ct_tracking000000001', '${'b2'.repeat(32)}'))
INSERT INTO consent_ledger (site_key, lead_id, purpose, status, method, text_id, text_sha256, form_id, page_url,
  submission_id, network, user_agent, created_at)
SELECT '${SITE}', ${lead}, p.purpose, 'granted', 'checkbox', p.text_id, p.sha, 'whitepaper-2026', '${ORIGIN}/whitepaper',
  ${submission}, '203.0.' || (i % 250) || '.0/24',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ${iso(at)}
FROM n, p ORDER BY i;
${numbers(from, to)}, s(from_stage, to_stage) AS (VALUES (NULL, 'lead'), ('lead', 'mql'))
INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, rule_id, created_at)
SELECT '${SITE}', ${lead}, s.from_stage, s.to_stage, 'rule', CASE WHEN s.to_stage = 'mql' THEN 'mql-score' END, ${iso(at)}
FROM n, s ORDER BY i;
`
}

/** Ten earlier touchpoints a lead attached: they get its id (and the lead index an entry). */
function attachSql(from, to) {
  return `UPDATE touchpoints SET lead_id = ${uuidOf(`((seq - 1) % ${LEADS}) + ${LEAD_SALT}`)}
WHERE seq > ${from} AND seq <= ${to};`
}

function databaseFile() {
  const dir = join(STATE, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
  // Both stores are migrated; the one with rows is DB's (wrangler d1 execute DB).
  const sizes = files.map((f) => [f, sqlite(join(dir, f), 'SELECT count(*) AS n FROM sites')[0].n])
  const found = sizes.find(([, n]) => n > 0)
  if (!found) throw new Error(`no seeded database in ${dir}`)
  return join(dir, found[0])
}

function sqlite(file, sql) {
  try {
    const out = execFileSync('sqlite3', ['-json', file, sql], { encoding: 'utf8' })
    return out.trim() ? JSON.parse(out) : []
  } catch (error) {
    if (error.code === 'ENOENT') {
      console.error(
        'This script reads dbstat with the sqlite3 command-line shell: install sqlite3.',
      )
      process.exit(2)
    }
    throw error
  }
}

/** Bytes of each table with its indexes, from dbstat (wrangler has exited, so no WAL is open). */
function bytesByTable(file) {
  sqlite(file, 'PRAGMA wal_checkpoint(TRUNCATE)')
  const rows = sqlite(
    file,
    `SELECT m.tbl_name AS tbl, SUM(s.pgsize) AS bytes FROM dbstat AS s
     JOIN sqlite_master AS m ON m.name = s.name GROUP BY m.tbl_name`,
  )
  const [{ total }] = sqlite(
    file,
    'SELECT page_count * page_size AS total FROM pragma_page_count, pragma_page_size',
  )
  return { tables: Object.fromEntries(rows.map((r) => [r.tbl, r.bytes])), total }
}

function delta(after, before, tables) {
  return tables.reduce((sum, t) => sum + (after.tables[t] ?? 0) - (before.tables[t] ?? 0), 0)
}

function step(name, sql) {
  const file = join(SQL_DIR, `${name}.sql`)
  writeFileSync(file, sql)
  const started = performance.now()
  d1Execute(STATE, ['--file', file])
  console.log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

rmSync(STATE, { recursive: true, force: true })
mkdirSync(SQL_DIR, { recursive: true })
console.log(`• migrations → ${STATE}`)
migrate(STATE)
step('setup', setupSql())
const file = databaseFile()
const empty = bytesByTable(file)

console.log(`• ${TOUCHPOINTS.toLocaleString('en')} touchpoints`)
for (let from = 0; from < TOUCHPOINTS; from += CHUNK)
  step(`touchpoints-${from}`, touchpointsSql(from, Math.min(from + CHUNK, TOUCHPOINTS)))
const withTouchpoints = bytesByTable(file)

console.log(`• ${LEADS.toLocaleString('en')} leads with their rows`)
for (let from = 0; from < LEADS; from += CHUNK)
  step(`leads-${from}`, leadsSql(from, Math.min(from + CHUNK, LEADS)))
const withLeads = bytesByTable(file)

const attached = Math.min(TOUCHPOINTS, LEADS * 10)
console.log(`• ${attached.toLocaleString('en')} touchpoints attached to the leads (ten each)`)
for (let from = 0; from < attached; from += CHUNK)
  step(`attach-${from}`, attachSql(from, Math.min(from + CHUNK, attached)))
const withAttached = bytesByTable(file)

const LEAD_TABLES = ['leads', 'lead_visitors', 'submissions', 'consent_ledger', 'stage_history']
const perTouchpoint = delta(withTouchpoints, empty, ['touchpoints']) / TOUCHPOINTS
const perLead = delta(withLeads, withTouchpoints, LEAD_TABLES) / LEADS
const perAttach = delta(withAttached, withLeads, ['touchpoints']) / attached
const fileGrowth = (withTouchpoints.total - empty.total) / TOUCHPOINTS
const round = (n) => Math.round(n)

console.log('\nbytes (tables with their indexes, from dbstat):')
console.log(`  per touchpoint (anonymous, as ingested):     ${round(perTouchpoint)}`)
console.log(`    database file growth per touchpoint:       ${round(fileGrowth)}`)
console.log(`  per lead with its rows:                      ${round(perLead)}`)
for (const table of LEAD_TABLES)
  console.log(
    `    ${table.padEnd(42)} ${round(delta(withLeads, withTouchpoints, [table]) / LEADS)}`,
  )
console.log(`  added by attaching a touchpoint to a lead:   ${round(perAttach)}`)
console.log(`  database file: ${(withAttached.total / 1e6).toFixed(1)} MB`)
