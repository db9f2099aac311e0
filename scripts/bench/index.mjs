#!/usr/bin/env node
/**
 * `npm run bench` (issue 7): on one machine, in one run,
 *
 * 1. starts the collector (wrangler dev, a fresh local D1) with its no-op route;
 * 2. loads the no-op route, `POST /v1/events` (1 and 20 events a batch) and
 *    `POST /v1/leads` at concurrency 1, 10 and 50 for a fixed time each;
 * 3. prints requests/s, events/s, p50/p99 latency and errors, each as a ratio to
 *    the no-op at the same concurrency;
 * 4. checks the rows in D1 against the accepted requests, and that a retry storm
 *    of 2,000 submissions over 20 ids makes exactly 20 leads and 20 consents;
 * 5. times the campaign report and the lead list on a large site;
 * 6. prints the widget's sizes beside peers'.
 *
 * Progress goes to stderr, the Markdown report to stdout. Exits 1 on a row
 * mismatch or a failed retry storm. Usage:
 *
 *   npm run bench                       # 10 s a load; 100,000 leads, 1,000,000 touchpoints
 *   npm run bench -- --quick            # CI: 2 s a load, concurrency 1 and 10, a storm of
 *                                       # 500, 5,000 leads and 50,000 touchpoints
 *   npm run bench -- --seconds=30 --runs=9 --skip-large
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ensureWidget, migrate, query, ROOT, startCollector } from '../dev/collector.mjs'
import { benchLargeSite } from './large.mjs'
import { BENCH_SECRET, createSite, loadTarget, MIN_FILL_MS, retryStorm, TARGETS } from './load.mjs'
import { measureWidget, PEERS } from './sizes.mjs'
import { fixed, markdownTable, ratio, whole } from './table.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=')
    return [key, value ?? 'true']
  }),
)
const QUICK = args.quick === 'true'
const SETTINGS = {
  seconds: Number(args.seconds ?? (QUICK ? 2 : 10)),
  concurrencies: QUICK ? [1, 10] : [1, 10, 50],
  // Quick: fewer copies of the same 20 ids, so CI stays within two minutes on two cores.
  storm: { total: QUICK ? 500 : 2_000, ids: 20, connections: 50 },
  large: {
    leads: Number(args.leads ?? (QUICK ? 5_000 : 100_000)),
    touchpoints: Number(args.touchpoints ?? (QUICK ? 50_000 : 1_000_000)),
    runs: Number(args.runs ?? (QUICK ? 3 : 5)),
  },
  skipLarge: args['skip-large'] === 'true',
}
const ORDER = ['noop', 'events1', 'events20', 'leads']

const say = (line) => process.stderr.write(`${line}\n`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const started = performance.now()
/** Other work on the machine skews every figure: the load average is printed with them. */
const LOAD_BEFORE = os.loadavg()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`

/** Rows per bench site and table, counted in one query after every load is done. */
function countRows(state) {
  const tables = ['touchpoints', 'submissions', 'leads', 'consent_ledger']
  const sql = tables
    .map(
      (table) =>
        `SELECT '${table}' AS tbl, site_key, count(*) AS n FROM ${table} WHERE site_key LIKE 'bench-%' GROUP BY site_key`,
    )
    .join(' UNION ALL ')
  const counts = {}
  for (const { tbl, site_key: site, n } of query(state, sql)) {
    counts[site] = { ...counts[site], [tbl]: n }
  }
  return (site) => ({
    touchpoints: 0,
    submissions: 0,
    leads: 0,
    consent_ledger: 0,
    ...counts[site],
  })
}

/**
 * Nothing lost, nothing doubled: the rows equal what the answers said was
 * stored. A request cut off when the time ran out may still have been stored
 * without its answer being read; those few are allowed, and said.
 */
function checkRows(key, load, rows) {
  const target = TARGETS[key]
  const perRequest = key === 'events20' ? 20 : 1
  const cutOff = (load.inFlight + load.socketErrors) * perRequest
  const stored = key.startsWith('events') ? rows.touchpoints : rows.submissions
  const extra = stored - load.stored
  const consistent =
    key !== 'leads' || (rows.leads === rows.submissions && rows.consent_ledger === rows.submissions)
  let verdict
  if (key === 'noop') verdict = stored === 0 && rows.leads === 0 ? 'ok: 0 rows' : 'MISMATCH'
  else if (extra === 0 && consistent) verdict = `ok: ${stored} = ${load.stored} accepted`
  else if (extra > 0 && extra <= cutOff && consistent) {
    verdict = `ok: ${stored} = ${load.stored} accepted + ${extra} cut off at the end`
  } else {
    verdict = `MISMATCH: ${stored} rows, ${load.stored} accepted`
    if (key === 'leads') verdict += `, ${rows.leads} leads, ${rows.consent_ledger} consents`
  }
  return { ok: !verdict.startsWith('MISMATCH'), verdict, label: target.label }
}

function errorsOf(load) {
  const parts = []
  if (load.non2xx) {
    const codes = Object.keys(load.statusCodes).filter((code) => !code.startsWith('2'))
    parts.push(`${load.non2xx} non-2xx (${codes.join(', ')})`)
  }
  if (load.socketErrors) {
    parts.push(`${load.socketErrors} socket${load.timeouts ? `, ${load.timeouts} timeouts` : ''}`)
  }
  return parts.length ? parts.join(', ') : '0'
}

async function benchLoads() {
  const state = mkdtempSync(path.join(os.tmpdir(), 'lodestone-bench-'))
  say(`• applying migrations to a fresh local D1 in ${state}`)
  migrate(state)
  say('• starting the collector (wrangler dev, RATE_LIMITS=off, BENCH_NOOP=on)')
  const collector = await startCollector({
    persistTo: state,
    // Its own secret, so load.mjs signs each submission its start token.
    vars: { RATE_LIMITS: 'off', BENCH_NOOP: 'on', LODESTONE_SECRET: BENCH_SECRET },
    // Below "info" the dev proxy stops posting a log line per request to Node: about a
    // quarter of the no-op's cost, and no part of the worker's.
    logLevel: 'warn',
  })
  try {
    const probe = await fetch(`${collector.origin}/v1/noop`, { method: 'POST', body: '{}' })
    if (probe.status !== 202) throw new Error(`the no-op route answered ${probe.status}`)

    say(`• creating the bench sites (${elapsed()})`)
    const sites = {}
    for (const key of ORDER) {
      for (const c of SETTINGS.concurrencies) {
        const siteKey = `bench-${key}-c${c}`
        sites[siteKey] = await createSite(collector, siteKey, { form: TARGETS[key].form })
      }
    }
    const warm = await createSite(collector, 'bench-warm-up', { form: true })
    const storm = await createSite(collector, 'bench-storm', { form: true })

    // The first requests compile the worker and fill its caches: not measured.
    say('• warming up')
    for (const key of ['noop', 'events1', 'events20']) {
      await loadTarget(collector, TARGETS[key], warm, { connections: 10, seconds: 1 })
    }
    await sleep(Math.max(0, storm.startedAt + MIN_FILL_MS + 100 - Date.now()))
    await loadTarget(collector, TARGETS.leads, warm, { connections: 10, seconds: 1 })

    const loads = []
    for (const c of SETTINGS.concurrencies) {
      for (const key of ORDER) {
        const site = sites[`bench-${key}-c${c}`]
        say(`• ${TARGETS[key].label} at concurrency ${c} for ${SETTINGS.seconds} s (${elapsed()})`)
        const load = await loadTarget(collector, TARGETS[key], site, {
          connections: c,
          seconds: SETTINGS.seconds,
        })
        loads.push({ key, c, site: site.siteKey, load })
        // Requests cut off at the end may still be running in the worker.
        await sleep(300)
      }
    }

    const { total, ids, connections } = SETTINGS.storm
    say(`• retry storm: ${total} submissions over ${ids} ids at concurrency ${connections}`)
    const stormLoad = await retryStorm(collector, storm, SETTINGS.storm)
    await sleep(300)

    say(`• counting rows in D1 (${elapsed()})`)
    const rowsOf = countRows(state)
    const checked = loads.map((entry) => ({
      ...entry,
      check: checkRows(entry.key, entry.load, rowsOf(entry.site)),
    }))
    const stormRows = rowsOf(storm.siteKey)
    const stormOk =
      stormRows.leads === ids && stormRows.consent_ledger === ids && stormRows.submissions === ids
    return { checked, storm: { load: stormLoad, rows: stormRows, ok: stormOk } }
  } finally {
    await collector.stop()
    rmSync(state, { recursive: true, force: true })
  }
}

function loadTable(checked) {
  const rows = checked.map(({ key, c, load, check }) => {
    const base = checked.find((entry) => entry.key === 'noop' && entry.c === c).load
    const perSecond = key === 'noop' ? null : load.storedPerSecond
    return [
      `${TARGETS[key].label}${key === 'leads' ? ' ¹' : ''}`,
      c,
      whole(load.requestsPerSecond),
      ratio(load.requestsPerSecond, base.requestsPerSecond),
      perSecond === null ? '—' : whole(perSecond),
      perSecond === null ? '—' : ratio(perSecond, base.requestsPerSecond),
      fixed(load.p50),
      ratio(load.p50, base.p50),
      fixed(load.p99),
      ratio(load.p99, base.p99),
      errorsOf(load),
      check.verdict,
    ]
  })
  return markdownTable(
    [
      'target',
      'conc.',
      'req/s',
      '× no-op',
      'events/s',
      '× no-op',
      'p50 ms',
      '× no-op',
      'p99 ms',
      '× no-op',
      'errors',
      'rows in D1',
    ],
    rows,
  )
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`
}

const wranglerVersion = JSON.parse(
  readFileSync(path.join(ROOT, 'node_modules', 'wrangler', 'package.json'), 'utf8'),
).version

say(`• bench${QUICK ? ' --quick' : ''}: ${SETTINGS.seconds} s a load`)
const rebuilt = ensureWidget()
if (rebuilt) say(`• built the widget (${rebuilt})`)
const loads = await benchLoads()
let large = null
if (!SETTINGS.skipLarge) {
  const { leads, touchpoints, runs } = SETTINGS.large
  say(`• large site: ${leads} leads, ${touchpoints} touchpoints (${elapsed()})`)
  large = await benchLargeSite(SETTINGS.large)
}
const sizes = measureWidget()
const runtime = elapsed()

const loadBefore = LOAD_BEFORE
const cpus = os.cpus()
const out = []
out.push(`## Lodestone bench${QUICK ? ' (quick)' : ''}`)
out.push('')
out.push(`- date: ${new Date().toISOString()}`)
out.push(
  `- machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
)
out.push(
  `- load average (1 min) before the run ${loadBefore[0].toFixed(2)}, after it ${os.loadavg()[0].toFixed(2)}`,
)
out.push(`- Node ${process.version}, wrangler ${wranglerVersion} (\`wrangler dev\`, local D1)`)
out.push(
  `- command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
)
out.push(
  `- ${SETTINGS.seconds} s a load, autocannon in the same process as this script, on 127.0.0.1; whole run ${runtime}`,
)
out.push('')
out.push('### Ingest and submissions against the no-op baseline')
out.push('')
out.push(loadTable(loads.checked))
out.push('')
out.push(
  '¹ For `POST /v1/leads` the events/s column counts leads stored per second. Each “× no-op” is the figure divided by the no-op route’s at the same concurrency (events/s by the no-op’s requests/s). Errors are non-2xx answers and socket errors; p50 and p99 are of 2xx answers.',
)
out.push('')
const { load: stormLoad, rows: stormRows, ok: stormOk } = loads.storm
const { total, ids, connections } = SETTINGS.storm
out.push('### Retry storm')
out.push('')
out.push(
  markdownTable(
    [
      'submissions',
      'ids',
      'conc.',
      'answers',
      'errors',
      'leads',
      'consents',
      'submissions stored',
      'check',
    ],
    [
      [
        total,
        ids,
        connections,
        Object.entries(stormLoad.statusCodes)
          .map(([code, { count }]) => `${count} × ${code}`)
          .join(', '),
        errorsOf(stormLoad),
        stormRows.leads,
        stormRows.consent_ledger,
        stormRows.submissions,
        stormOk ? `ok: exactly ${ids}` : `FAILED: expected ${ids} of each`,
      ],
    ],
  ),
)
out.push('')
if (large) {
  const { leads, touchpoints, runs } = SETTINGS.large
  out.push(`### Reports on a large site (${leads} leads, ${touchpoints} touchpoints)`)
  out.push('')
  out.push(
    markdownTable(
      ['request', 'median ms', 'note'],
      large.map((row) => [row.what, whole(row.medianMs), row.detail ?? '']),
    ),
  )
  out.push('')
  out.push(
    `Medians of ${runs} runs after one warm-up each, one request at a time, on \`wrangler dev\` (seeded by \`scripts/seed-large.mjs\`).`,
  )
  out.push('')
}
out.push('### Widget size beside peers')
out.push('')
const [loader, chunk, both] = sizes.rows
out.push(
  markdownTable(
    ['script', 'raw', 'gzip', 'brotli', 'source'],
    [
      [
        'Lodestone loader `w.js`',
        kb(loader.raw),
        kb(loader.gzip),
        kb(loader.brotli),
        'measured here',
      ],
      [
        `Lodestone form chunk \`${chunk.file}\``,
        kb(chunk.raw),
        kb(chunk.gzip),
        kb(chunk.brotli),
        'measured here',
      ],
      [
        'Lodestone loader + form chunk',
        kb(both.raw),
        kb(both.gzip),
        kb(both.brotli),
        'measured here',
      ],
      ...PEERS.map((peer) => [peer.name, '—', peer.gzip, '—', peer.source]),
    ],
  ),
)
out.push('')
out.push(
  `Gzip level 9 and brotli quality 11 (\`scripts/size-check.mjs\`)${sizes.overBudget ? '; **over the size budget**' : ''}. The form chunk loads only on pages that show a form or popup.`,
)
out.push('')

const mismatches = loads.checked.filter((entry) => !entry.check.ok)
if (mismatches.length) {
  out.push(`**${mismatches.length} row check(s) failed.**`)
}
if (!stormOk) out.push('**The retry storm check failed.**')
process.stdout.write(out.join('\n') + '\n')
say(`• done in ${runtime}`)
if (mismatches.length || !stormOk) process.exit(1)
