#!/usr/bin/env node
// Seeds a local D1 with one large site (by default 1,000,000 leads and
// 10,000,000 touchpoints, with stage histories, 50 campaigns and 90 days of
// spend), starts `wrangler dev` on it and times the campaign report, first and
// last touch. Not part of `npm test`. Usage:
//
//   node scripts/seed-large.mjs                      # 1,000,000 leads, 10,000,000 touchpoints
//   node scripts/seed-large.mjs --small              # 10,000 leads, 100,000 touchpoints
//   node scripts/seed-large.mjs --leads=50000 --touchpoints=500000 --runs=7 --fresh
//
// The database lives in .bench/seed-large-<leads>-<touchpoints>/ and is reused
// on the next run of the same size (`--fresh` seeds it anew). After the
// migrations, rows are made by recursive CTEs written straight into the local
// D1's SQLite file with Node's own `node:sqlite` (scripts/bench/bulk.mjs): big
// transactions, the tables' indexes dropped for the inserts and built again
// from the migrations' own SQL, the migrations' triggers (history rank, daily
// rollups) firing as on any insert. So no row travels through this script or
// a `wrangler d1 execute`. Needs Node ≥ 22.13 (`npm run seed:large` uses the
// project's own).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { d1Bytes, numbers, withD1File, withoutIndexes } from './bench/bulk.mjs'
import { d1Execute, migrate, ROOT, startCollector } from './dev/collector.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=')
    return [key, value ?? 'true']
  }),
)
const small = args.small === 'true'
const LEADS = Number(args.leads ?? (small ? 10_000 : 1_000_000))
const TOUCHPOINTS = Number(args.touchpoints ?? (small ? 100_000 : 10_000_000))
const RUNS = Number(args.runs ?? 5)
const CAMPAIGNS = 50
const DAYS = 90
const SITE = 'seed-large'
/** Rows per statement (one transaction for all): progress lines, and bounded memory for the CTE. */
const ROWS_PER_STATEMENT = 1_000_000
if (![LEADS, TOUCHPOINTS, RUNS].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--leads, --touchpoints and --runs take positive integers')
  process.exit(2)
}

const STATE = join(ROOT, '.bench', `seed-large-${LEADS}-${TOUCHPOINTS}`)

const d1 = (...commandArgs) => d1Execute(STATE, commandArgs)

// Every figure is a pure function of the lead's number i, so chunks need no lookups.
const DAY_S = 86_400
const END = Math.floor(Date.now() / 1000)
const START = END - DAYS * DAY_S
const STEP = (DAYS * DAY_S) / LEADS
const id = (i) => `printf('00000000-0000-4000-8000-%012d', ${i})`
const iso = (epoch) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${epoch}, 'unixepoch')`
const createdEpoch = (i) => `(${START} + ${i} * ${STEP})`
const firstSeenEpoch = (i) => `(${createdEpoch(i)} - (${i} % 30) * ${DAY_S})`
// r in [0, 1000): 3% customers, 3% opportunities, 6% SQLs, 18% MQLs, 2% disqualified after MQL.
const reached = (r) =>
  `(CASE WHEN ${r} < 30 THEN 4 WHEN ${r} < 60 THEN 3 WHEN ${r} < 120 THEN 2 WHEN ${r} < 300 OR ${r} >= 980 THEN 1 ELSE 0 END)`
const STAGES = `(VALUES (0, 'lead', NULL), (1, 'mql', 'lead'), (2, 'sql', 'mql'), (3, 'opportunity', 'sql'), (4, 'customer', 'opportunity'))`
const customerEpoch = (i, r) => `(${createdEpoch(i)} + (${r} % 60) * ${DAY_S} + 3600)`

function setupSql() {
  const now = new Date().toISOString()
  return `
INSERT INTO sites (site_key, name, allowed_origins, required_fields, created_at, updated_at)
VALUES ('${SITE}', 'Seed large', '["https://${SITE}.example"]', '["email"]', '${now}', '${now}');
INSERT INTO site_origins (origin, site_key) VALUES ('https://${SITE}.example', '${SITE}');
${numbers(0, CAMPAIGNS)}
INSERT INTO campaigns (site_key, campaign_key, name, channel, created_at, updated_at)
SELECT '${SITE}', 'campaign-' || i, 'Campaign ' || i, 'paid_social', '${now}', '${now}' FROM n;
${numbers(0, CAMPAIGNS * DAYS)}
INSERT INTO campaign_spend (site_key, campaign_key, day, amount, currency, updated_at)
SELECT '${SITE}', 'campaign-' || (i % ${CAMPAIGNS}), date(${START} + (i / ${CAMPAIGNS}) * ${DAY_S}, 'unixepoch'),
  1000 + (i * 37) % 50000, CASE WHEN i % ${CAMPAIGNS} = 7 THEN 'USD' ELSE 'EUR' END, '${now}' FROM n;
`
}

function leadsSql(from, to) {
  const r = `((i * 7919) % 1000)`
  return `
${numbers(from, to)}
INSERT INTO leads (id, site_key, email, email_key, email_domain, first_name, complete, stage, stage_set_by, stage_changed_at,
  first_source, first_medium, first_campaign, first_touch_at, last_source, last_medium, last_campaign, last_touch_at,
  first_seen_at, customer_at, deal_amount, deal_currency, created_at, updated_at)
SELECT ${id('i')}, '${SITE}', 'lead' || i || '@seed.example', 'lead' || i || '@seed.example', 'seed.example', 'Lead', 1,
  CASE WHEN ${r} >= 980 THEN 'disqualified' ELSE (SELECT column2 FROM ${STAGES} WHERE column1 = ${reached(r)}) END,
  CASE WHEN ${reached(r)} >= 3 OR ${r} >= 980 THEN 'manual' ELSE 'rule' END, ${iso(createdEpoch('i'))},
  CASE WHEN i % 10 = 0 THEN NULL ELSE 'linkedin' END, CASE WHEN i % 10 = 0 THEN NULL ELSE 'paid' END,
  CASE WHEN i % 10 = 0 THEN NULL ELSE 'campaign-' || (i % ${CAMPAIGNS}) END, ${iso(firstSeenEpoch('i'))},
  CASE WHEN i % 10 = 0 THEN NULL ELSE 'google' END, CASE WHEN i % 10 = 0 THEN NULL ELSE 'cpc' END,
  CASE WHEN i % 10 = 0 THEN NULL ELSE 'campaign-' || ((i * 7) % ${CAMPAIGNS}) END, ${iso(createdEpoch('i'))},
  ${iso(firstSeenEpoch('i'))},
  CASE WHEN ${reached(r)} = 4 THEN ${iso(customerEpoch('i', r))} END,
  CASE WHEN ${reached(r)} = 4 THEN 100000 + (i % 1000) * 100 END,
  CASE WHEN ${reached(r)} = 4 THEN (CASE WHEN i % 20 = 0 THEN 'USD' ELSE 'EUR' END) END,
  ${iso(createdEpoch('i'))}, ${iso(createdEpoch('i'))}
FROM n;
${numbers(from, to)}, l AS (SELECT i, ${r} AS r FROM n)
INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, value_amount, value_currency, created_at)
SELECT '${SITE}', ${id('i')}, s.column3, s.column2, CASE WHEN s.column1 >= 3 THEN 'manual' ELSE 'rule' END,
  CASE WHEN s.column1 = 4 THEN 100000 + (i % 1000) * 100 END,
  CASE WHEN s.column1 = 4 THEN (CASE WHEN i % 20 = 0 THEN 'USD' ELSE 'EUR' END) END,
  CASE WHEN s.column1 = 4 THEN ${iso(customerEpoch('i', 'r'))} ELSE ${iso(`${createdEpoch('i')} + s.column1 * 60`)} END
FROM l JOIN ${STAGES} AS s ON s.column1 <= ${reached('r')}
ORDER BY i, s.column1;
${numbers(from, to)}
INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, reason, created_at)
SELECT '${SITE}', ${id('i')}, 'mql', 'disqualified', 'manual', 'no budget', ${iso(`${createdEpoch('i')} + 7200`)}
FROM n WHERE ${r} >= 980;
`
}

function touchpointsSql(from, to) {
  const lead = `(i % ${LEADS})`
  return `
${numbers(from, to)}
INSERT INTO touchpoints (site_key, event_id, type, occurred_at, received_at, url, path, utm_source, utm_medium, utm_campaign, lead_id)
SELECT '${SITE}', printf('ev-%010d', i), CASE WHEN i % 9 = 0 THEN 'download' ELSE 'page_view' END,
  ${iso(`${firstSeenEpoch(lead)} + (i / ${LEADS}) * 3600`)}, ${iso(`${firstSeenEpoch(lead)} + (i / ${LEADS}) * 3600`)},
  'https://${SITE}.example/p' || (i % 100), '/p' || (i % 100), 'linkedin', 'paid', 'campaign-' || (i % ${CAMPAIGNS}),
  ${id(lead)}
FROM n;
`
}

/** Runs `sql` and says how long it took. */
function timed(db, name, sql) {
  const t = performance.now()
  db.exec(sql)
  console.log(`  ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`)
}

/** Seeds a fresh database; answers what it took (also kept in `seeded`, for runs that reuse it). */
async function seed() {
  rmSync(STATE, { recursive: true, force: true })
  mkdirSync(STATE, { recursive: true })
  console.log(`• applying migrations to ${STATE}`)
  migrate(STATE)
  const started = performance.now()
  const indexSeconds = await withD1File(STATE, (db) =>
    withoutIndexes(db, ['leads', 'stage_history', 'touchpoints'], () => {
      timed(db, 'setup', setupSql())
      for (let from = 0; from < LEADS; from += ROWS_PER_STATEMENT) {
        const to = Math.min(from + ROWS_PER_STATEMENT, LEADS)
        timed(db, `leads ${from}–${to}`, leadsSql(from, to))
      }
      for (let from = 0; from < TOUCHPOINTS; from += ROWS_PER_STATEMENT) {
        const to = Math.min(from + ROWS_PER_STATEMENT, TOUCHPOINTS)
        timed(db, `touchpoints ${from}–${to}`, touchpointsSql(from, to))
      }
      console.log('  building the indexes of leads, stage_history and touchpoints')
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const stats = { at: new Date().toISOString(), seconds, indexSeconds, bytes: d1Bytes(STATE) }
  console.log(
    `• seeded in ${seconds.toFixed(1)} s (indexes ${indexSeconds.toFixed(1)} s), database file ${(stats.bytes / 2 ** 30).toFixed(2)} GiB`,
  )
  writeFileSync(join(STATE, 'seeded'), JSON.stringify(stats))
}

/** What the seeding took, from `seeded` (a run before this script kept only the date there). */
function seedStats() {
  const text = readFileSync(join(STATE, 'seeded'), 'utf8')
  try {
    return JSON.parse(text)
  } catch {
    return { at: text.trim() }
  }
}

function counts() {
  const out = d1(
    '--json',
    '--command',
    `SELECT (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM touchpoints) AS touchpoints,
       (SELECT count(*) FROM stage_history) AS stage_history, (SELECT count(*) FROM campaign_spend) AS spend_days`,
  )
  return JSON.parse(out)[0].results[0]
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function timeReports() {
  const collector = await startCollector({ persistTo: STATE })
  try {
    const day = (epoch) => new Date(epoch * 1000).toISOString().slice(0, 10)
    const ranges = [
      ['all 90 days', day(START), day(END)],
      ['last 30 days', day(END - 30 * DAY_S), day(END)],
    ]
    const results = []
    for (const [label, from, to] of ranges) {
      for (const attribution of ['first', 'last']) {
        const url = `${collector.origin}/v1/admin/sites/${SITE}/reports/campaigns?from=${from}&to=${to}&attribution=${attribution}`
        const timings = []
        let report
        for (let run = 0; run <= RUNS; run++) {
          const started = performance.now()
          const response = await fetch(url, {
            headers: { authorization: `Bearer ${collector.rootToken}` },
          })
          const body = await response.text()
          const ms = performance.now() - started
          if (!response.ok)
            throw new Error(`${url} answered ${response.status}: ${body.slice(0, 500)}`)
          report = JSON.parse(body)
          if (run > 0) timings.push(ms) // the first run warms the isolate up
        }
        const total = report.totals.find((t) => t.currency === 'EUR') ?? report.totals[0]
        results.push({ label, attribution, total, rows: report.rows.length, timings })
      }
    }
    return results
  } finally {
    await collector.stop()
  }
}

if (args.fresh === 'true' || !existsSync(join(STATE, 'seeded'))) await seed()
// A database seeded before a newer migration gets it now, as a deployed one would.
else migrate(STATE)
const stats = seedStats()
if (stats.seconds !== undefined) {
  // One line the bench reads (scripts/bench/large.mjs).
  console.log(
    `• seeding: ${stats.seconds.toFixed(1)} s on ${stats.at}, ${stats.bytes} bytes after it, ${d1Bytes(STATE)} bytes now`,
  )
}
const seeded = counts()
console.log(
  `• ${seeded.leads} leads, ${seeded.touchpoints} touchpoints, ${seeded.stage_history} stage changes, ${seeded.spend_days} spend days`,
)
console.log(
  `• timing GET /v1/admin/sites/${SITE}/reports/campaigns on wrangler dev (${RUNS} runs after one warm-up)`,
)
const results = await timeReports()
for (const r of results) {
  const ms = r.timings.map((t) => t.toFixed(0)).join(', ')
  console.log(
    `  ${r.label.padEnd(13)} ${r.attribution.padEnd(6)} ${String(r.total.leads).padStart(7)} leads, ${String(r.rows).padStart(3)} rows: median ${median(r.timings).toFixed(0)} ms, min ${Math.min(...r.timings).toFixed(0)} ms (${ms})`,
  )
}
const { total } = results[0]
console.log(
  `• ${results[0].label}, ${total.currency} total: ${total.leads} leads, ${total.mqls} MQLs, ${total.sqls} SQLs, ${total.opportunities} opportunities, ${total.customers} customers; CPL ${total.cpl}, cost per order ${total.costPerOrder}, median sales cycle ${total.medianSalesCycleDays} days`,
)
