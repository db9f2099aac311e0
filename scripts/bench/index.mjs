#!/usr/bin/env node
/**
 * `npm run bench` (issues 7 and 16): on one machine, in one run,
 *
 * 1. seeds a fresh local D1 with one site of 1,000,000 touchpoints (in bulk,
 *    scripts/bench/bulk.mjs) and starts the collector (wrangler dev) on it with
 *    its no-op route, touchpoints queued where wrangler.toml binds the queue;
 * 2. loads the no-op route, `POST /v1/events` (1 and 20 events a batch) and
 *    `POST /v1/leads` at concurrency 1, 10 and 50 for a fixed time each, waits
 *    for the touchpoint queue to drain, and checks the rows in D1 against the
 *    accepted requests;
 * 3. loads `POST /v1/leads` on an empty site and on the 1,000,000-touchpoint
 *    site (each submission naming a visitor with earlier touchpoints there);
 * 4. runs a retry storm of 2,000 submissions over 20 ids (exactly 20 leads and
 *    20 consents);
 * 5. restarts the collector with `TOUCHPOINT_QUEUE=off` and loads the no-op and
 *    the events route again: direct writes, against the no-op of that start;
 * 6. times the campaign report, the dashboard and the lead list on a large site
 *    (1,000,000 leads, 10,000,000 touchpoints, seeded in bulk and kept in .bench/);
 * 7. prints the widget's sizes beside peers', and last the goals of issue 16,
 *    each with its figure and ok or missed.
 *
 * Figures are ratios to the no-op route of the same start at the same
 * concurrency. Progress goes to stderr, the Markdown report to stdout. Exits 1
 * on a row mismatch or a failed retry storm (a missed goal is only reported). Usage:
 *
 *   npm run bench                       # 10 s a load; a 1,000,000-touchpoint site;
 *                                       # 1,000,000 leads, 10,000,000 touchpoints
 *   npm run bench -- --quick            # CI: 2 s a load, concurrency 1 and 10, a storm of
 *                                       # 500, a 100,000-touchpoint site, 5,000 leads and
 *                                       # 50,000 touchpoints
 *   npm run bench -- --seconds=30 --runs=9 --skip-large
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ensureWidget, migrate, query, ROOT, startCollector } from '../dev/collector.mjs'
import { seedSiteTraffic } from './bulk.mjs'
import { benchLargeSite } from './large.mjs'
import {
  BENCH_SECRET,
  createSite,
  loadTarget,
  MIN_FILL_MS,
  PAGE_ORIGIN,
  retryStorm,
  TARGETS,
  visitorLeadsTarget,
} from './load.mjs'
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
  // Item 1 of issue 16: submissions on an empty site and on one of this many touchpoints,
  // in rounds of empty, large, large, empty (so drift over the run falls on both alike).
  siteSize: {
    touchpoints: Number(args['site-touchpoints'] ?? (QUICK ? 100_000 : 1_000_000)),
    // Each submission names a visitor of its own with `earlier` touchpoints on the site;
    // enough visitors for every submission of the rounds at some 500 a second.
    submitters: QUICK ? 4_000 : 20_000,
    earlier: 5,
    concurrency: 10,
    rounds: ['empty', 'large', 'large', 'empty'],
  },
  large: {
    leads: Number(args.leads ?? (QUICK ? 5_000 : 1_000_000)),
    touchpoints: Number(args.touchpoints ?? (QUICK ? 50_000 : 10_000_000)),
    runs: Number(args.runs ?? (QUICK ? 3 : 5)),
  },
  skipLarge: args['skip-large'] === 'true',
}
const ORDER = ['noop', 'events1', 'events20', 'leads']
/** The direct-mode start loads only what the mode changes. */
const DIRECT_ORDER = ['noop', 'events1', 'events20']
/** Where the empty and the large site's submitters come from (scripts/bench/bulk.mjs `uuidOf`). */
const VISITORS = { empty: '0000e0e0', large: '0000a1a1' }
const SIZE_SITES = { empty: 'bench-size-empty', large: 'bench-size-large' }
/**
 * Touchpoints are queued (`POST /v1/events` enqueues, a consumer writes) where the
 * TOUCHPOINTS queue is bound and TOUCHPOINT_QUEUE is not "off" (docs/scale.md).
 * Without the binding in wrangler.toml both starts write directly, which the report says.
 */
const QUEUE_BOUND = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8').includes(
  'lodestone-touchpoints',
)
const MODES = {
  queue: {
    title: QUEUE_BOUND
      ? 'queue mode (`TOUCHPOINT_QUEUE=on`, the default)'
      : 'default mode (no `TOUCHPOINTS` queue in wrangler.toml: writes directly)',
    short: QUEUE_BOUND ? 'queue' : 'default',
    vars: {},
    order: ORDER,
    prefix: 'bench-q',
  },
  direct: {
    title: 'direct mode (`TOUCHPOINT_QUEUE=off`)',
    short: 'direct',
    vars: { TOUCHPOINT_QUEUE: 'off' },
    order: DIRECT_ORDER,
    prefix: 'bench-d',
  },
}
/** How long the row check waits for the queue's consumer to write what was accepted. */
const DRAIN_TIMEOUT_MS = 180_000
/** …and how long the counts may stand still before it gives up waiting. */
const DRAIN_STILL_MS = 10_000

const say = (line) => process.stderr.write(`${line}\n`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const started = performance.now()
/** Other work on the machine skews every figure: the load average is printed with them. */
const LOAD_BEFORE = os.loadavg()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`

/**
 * Rows per bench site and table, in one query; `attached` counts the seeded
 * earlier touchpoints (`own-…`, scripts/bench/bulk.mjs) now attached to a lead.
 */
function countRows(state) {
  const tables = ['touchpoints', 'submissions', 'leads', 'consent_ledger']
  const sql = [
    ...tables.map(
      (table) =>
        `SELECT '${table}' AS tbl, site_key, count(*) AS n FROM ${table} WHERE site_key LIKE 'bench-%' GROUP BY site_key`,
    ),
    `SELECT 'attached' AS tbl, site_key, count(*) AS n FROM touchpoints WHERE lead_id IS NOT NULL AND event_id LIKE 'own-%' GROUP BY site_key`,
  ].join(' UNION ALL ')
  const counts = {}
  for (const { tbl, site_key: site, n } of query(state, sql)) {
    counts[site] = { ...counts[site], [tbl]: n }
  }
  return (site) => ({
    touchpoints: 0,
    submissions: 0,
    leads: 0,
    consent_ledger: 0,
    attached: 0,
    ...counts[site],
  })
}

/** The rows a load's answers said were stored, in the table that holds them. */
const storedRows = (key, rows) => (key.startsWith('events') ? rows.touchpoints : rows.submissions)

/**
 * Waits until the touchpoint queue's consumer has written what the events loads
 * were answered for (`loads`): polls the counts until every site has at least its
 * accepted rows, or they stood still for DRAIN_STILL_MS, or DRAIN_TIMEOUT_MS passed.
 * Answers the counts and the seconds waited.
 */
async function drainedRows(state, loads) {
  const started = Date.now()
  const events = loads.filter(({ key }) => key.startsWith('events'))
  let last = ''
  let stillSince = Date.now()
  for (;;) {
    const rowsOf = countRows(state)
    const complete = events.every(
      ({ key, site, load }) => storedRows(key, rowsOf(site)) >= load.stored,
    )
    const now = Date.now()
    const seen = events.map(({ site }) => rowsOf(site).touchpoints).join(',')
    if (seen !== last) stillSince = now
    last = seen
    if (complete || now - stillSince >= DRAIN_STILL_MS || now - started >= DRAIN_TIMEOUT_MS) {
      return { rowsOf, seconds: (now - started) / 1000, complete }
    }
    await sleep(1_000)
  }
}

/**
 * Nothing lost, nothing doubled: the rows equal what the answers said was
 * stored. A request cut off when the time ran out may still have been stored
 * without its answer being read; those few are allowed, and said. For the
 * large site of the size comparison, every submission's earlier touchpoints
 * must have joined its lead.
 */
function checkRows(key, load, rows, { earlier = 0 } = {}) {
  const target = TARGETS[key]
  const perRequest = key === 'events20' ? 20 : 1
  const cutOff = (load.inFlight + load.socketErrors) * perRequest
  const stored = storedRows(key, rows)
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
  if (earlier && !verdict.startsWith('MISMATCH')) {
    if (rows.attached === rows.submissions * earlier) {
      verdict += `; ${rows.attached} earlier touchpoints attached (${earlier} a lead)`
    } else {
      verdict = `MISMATCH: ${rows.attached} earlier touchpoints attached, ${rows.submissions * earlier} expected (${earlier} a lead)`
    }
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

/** Starts the collector for one mode: `RATE_LIMITS=off`, `BENCH_NOOP=on`, the mode's vars. */
async function startFor(state, mode) {
  const vars = Object.entries(mode.vars).map(([name, value]) => ` ${name}=${value}`)
  say(
    `• starting the collector, ${mode.short} (wrangler dev, RATE_LIMITS=off, BENCH_NOOP=on${vars})`,
  )
  const collector = await startCollector({
    persistTo: state,
    // Its own secret, so load.mjs signs each submission its start token.
    vars: { RATE_LIMITS: 'off', BENCH_NOOP: 'on', LODESTONE_SECRET: BENCH_SECRET, ...mode.vars },
    // Below "info" the dev proxy stops posting a log line per request to Node: about a
    // quarter of the no-op's cost, and no part of the worker's.
    logLevel: 'warn',
  })
  const probe = await fetch(`${collector.origin}/v1/noop`, { method: 'POST', body: '{}' })
  if (probe.status !== 202) {
    await collector.stop()
    throw new Error(`the no-op route answered ${probe.status}`)
  }
  return collector
}

/**
 * One start of the collector in `mode`: its sites, a warm-up, then every target
 * of the mode at every concurrency, interleaved. Answers the loads.
 */
async function runLoads(collector, mode, warm) {
  say(`• creating the ${mode.short} sites (${elapsed()})`)
  const sites = {}
  for (const key of mode.order) {
    for (const c of SETTINGS.concurrencies) {
      const siteKey = `${mode.prefix}-${key}-c${c}`
      sites[siteKey] = await createSite(collector, siteKey, { form: TARGETS[key].form })
    }
  }
  // The first requests compile the worker and fill its caches: not measured.
  say('• warming up')
  for (const key of ['noop', 'events1', 'events20']) {
    await loadTarget(collector, TARGETS[key], warm, { connections: 10, seconds: 1 })
  }
  if (mode.order.includes('leads')) {
    await sleep(Math.max(0, warm.startedAt + MIN_FILL_MS + 100 - Date.now()))
    await loadTarget(collector, TARGETS.leads, warm, { connections: 10, seconds: 1 })
  }
  const loads = []
  for (const c of SETTINGS.concurrencies) {
    for (const key of mode.order) {
      const site = sites[`${mode.prefix}-${key}-c${c}`]
      say(
        `• ${mode.short}: ${TARGETS[key].label} at concurrency ${c} for ${SETTINGS.seconds} s (${elapsed()})`,
      )
      const load = await loadTarget(collector, TARGETS[key], site, {
        connections: c,
        seconds: SETTINGS.seconds,
      })
      loads.push({ key, c, site: site.siteKey, load })
      // Requests cut off at the end may still be running in the worker.
      await sleep(300)
    }
  }
  return loads
}

/**
 * Item 1 of issue 16: `POST /v1/leads` at concurrency 10 on the empty site and on
 * the large one, in rounds; each submission names a fresh visitor of its site's
 * pool (on the large site, one with earlier touchpoints). Answers each site's
 * loads, mean p50 and how many submissions named a visitor.
 */
async function runSiteSize(collector, sizeSites) {
  const { submitters, concurrency, rounds } = SETTINGS.siteSize
  const targets = {
    empty: visitorLeadsTarget('POST /v1/leads, empty site', VISITORS.empty, submitters),
    large: visitorLeadsTarget('POST /v1/leads, large site', VISITORS.large, submitters),
  }
  const loads = { empty: [], large: [] }
  for (const which of rounds) {
    say(
      `• ${targets[which].label} at concurrency ${concurrency} for ${SETTINGS.seconds} s (${elapsed()})`,
    )
    loads[which].push(
      await loadTarget(collector, targets[which], sizeSites[which], {
        connections: concurrency,
        seconds: SETTINGS.seconds,
      }),
    )
    await sleep(300)
  }
  const summary = (which) => {
    const runs = loads[which]
    const sum = (pick) => runs.reduce((total, load) => total + pick(load), 0)
    return {
      runs,
      p50: sum((load) => load.p50) / runs.length,
      p99: sum((load) => load.p99) / runs.length,
      requestsPerSecond: sum((load) => load.requestsPerSecond) / runs.length,
      // One load's worth for the row check: the stored and cut-off requests of all rounds.
      total: {
        stored: sum((load) => load.stored),
        inFlight: sum((load) => load.inFlight),
        socketErrors: sum((load) => load.socketErrors),
      },
      errors: runs.map(errorsOf).join(' / '),
      named: targets[which].used(),
    }
  }
  return { empty: summary('empty'), large: summary('large') }
}

async function benchLoads() {
  const state = mkdtempSync(path.join(os.tmpdir(), 'lodestone-bench-'))
  try {
    say(`• applying migrations to a fresh local D1 in ${state}`)
    migrate(state)
    const { touchpoints, submitters, earlier } = SETTINGS.siteSize
    say(`• seeding ${touchpoints} touchpoints of ${SIZE_SITES.large} in bulk`)
    const seedSeconds = await seedSiteTraffic(state, {
      siteKey: SIZE_SITES.large,
      total: touchpoints,
      submitters,
      earlier,
      submitterPrefix: VISITORS.large,
      origin: PAGE_ORIGIN,
    })
    say(`  seeded in ${seedSeconds.toFixed(1)} s`)

    // The default start: queued touchpoints where bound, every target, the size
    // comparison and the storm.
    let collector = await startFor(state, MODES.queue)
    let queue
    try {
      const warm = await createSite(collector, 'bench-warm-up', { form: true })
      const storm = await createSite(collector, 'bench-storm', { form: true })
      const sizeSites = {
        empty: await createSite(collector, SIZE_SITES.empty, { form: true }),
        large: await createSite(collector, SIZE_SITES.large, { form: true }),
      }
      const loads = await runLoads(collector, MODES.queue, warm)
      say(`• waiting for every accepted touchpoint to be written (${elapsed()})`)
      const drain = await drainedRows(state, loads)
      say(`  ${drain.complete ? 'complete' : 'NOT complete'} after ${drain.seconds.toFixed(1)} s`)

      await sleep(Math.max(0, sizeSites.empty.startedAt + MIN_FILL_MS + 100 - Date.now()))
      const size = await runSiteSize(collector, sizeSites)

      const { total, ids, connections } = SETTINGS.storm
      say(`• retry storm: ${total} submissions over ${ids} ids at concurrency ${connections}`)
      const stormLoad = await retryStorm(collector, storm, SETTINGS.storm)
      await sleep(300)

      say(`• counting rows in D1 (${elapsed()})`)
      const rowsOf = countRows(state)
      const checked = loads.map((entry) => ({
        ...entry,
        // Touchpoints as drained; the rest as they are now.
        check: checkRows(
          entry.key,
          entry.load,
          entry.key.startsWith('events') ? drain.rowsOf(entry.site) : rowsOf(entry.site),
        ),
      }))
      for (const which of ['empty', 'large']) {
        size[which].check = checkRows('leads', size[which].total, rowsOf(SIZE_SITES[which]), {
          earlier: which === 'large' ? earlier : 0,
        })
      }
      const stormRows = rowsOf(storm.siteKey)
      const stormOk =
        stormRows.leads === ids && stormRows.consent_ledger === ids && stormRows.submissions === ids
      queue = {
        checked,
        drain,
        size,
        storm: { load: stormLoad, rows: stormRows, ok: stormOk },
      }
    } finally {
      await collector.stop()
    }

    // The same worker writing touchpoints in the request, against its own no-op.
    collector = await startFor(state, MODES.direct)
    try {
      const warm = await createSite(collector, 'bench-d-warm-up')
      const loads = await runLoads(collector, MODES.direct, warm)
      say(`• counting rows in D1 (${elapsed()})`)
      const { rowsOf } = await drainedRows(state, loads)
      const checked = loads.map((entry) => ({
        ...entry,
        check: checkRows(entry.key, entry.load, rowsOf(entry.site)),
      }))
      return { ...queue, seedSeconds, direct: { checked } }
    } finally {
      await collector.stop()
    }
  } finally {
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

/** The figure of `key` at concurrency `c` in one start's loads. */
const loadOf = (checked, key, c) => checked.find((entry) => entry.key === key && entry.c === c)

/** `rate / the no-op's requests/s` at concurrency `c` of one start. */
function noopRatio(checked, key, c, pick) {
  const base = loadOf(checked, 'noop', c)?.load.requestsPerSecond
  const load = loadOf(checked, key, c)?.load
  return load && base ? pick(load) / base : null
}

/**
 * The goals of issue 16, each with the figure this run measured and ok or
 * missed. Ingest goals are of the default start (queued touchpoints where bound),
 * the direct start's figure beside them.
 */
function goalsTable(loads, large) {
  const c = 10
  const rows = []
  const goal = (name, figure, ok) =>
    rows.push([name, figure, ok === null ? 'not measured' : ok ? 'ok' : 'missed'])
  const x = (value) => (value === null ? '—' : `${value.toFixed(2)}×`)
  const q = loads.checked
  const d = loads.direct.checked
  const sizeRatio = loads.size.large.p50 / loads.size.empty.p50
  const sizeNote = QUICK ? ` (quick: ${SETTINGS.siteSize.touchpoints.toLocaleString('en-US')})` : ''
  goal(
    `\`POST /v1/leads\` p50 at 1,000,000 touchpoints ≤ 1.2× empty${sizeNote}`,
    `${fixed(loads.size.large.p50)} / ${fixed(loads.size.empty.p50)} ms = ${sizeRatio.toFixed(2)}×`,
    sizeRatio <= 1.2,
  )
  const events1 = noopRatio(q, 'events1', c, (load) => load.requestsPerSecond)
  goal(
    `\`POST /v1/events\`, 1 event ≥ 0.8× no-op at concurrency ${c}`,
    `${x(events1)} ${MODES.queue.short}; ${x(noopRatio(d, 'events1', c, (load) => load.requestsPerSecond))} direct`,
    events1 === null ? null : events1 >= 0.8,
  )
  const events20 = loadOf(q, 'events20', c)?.load.storedPerSecond ?? null
  const events20Direct = loadOf(d, 'events20', c)?.load.storedPerSecond
  goal(
    `20-event batches ≥ 10,000 events/s (concurrency ${c})`,
    `${events20 === null ? '—' : whole(events20)} ${MODES.queue.short}; ${events20Direct === undefined ? '—' : whole(events20Direct)} direct${QUEUE_BOUND ? ' (queue: accepted)' : ''}`,
    events20 === null ? null : events20 >= 10_000,
  )
  const leads = noopRatio(q, 'leads', c, (load) => load.requestsPerSecond)
  goal(
    `\`POST /v1/leads\` ≥ 0.4× no-op (concurrency ${c})`,
    x(leads),
    leads === null ? null : leads >= 0.4,
  )
  const checks = [...q, ...d, { check: loads.size.empty.check }, { check: loads.size.large.check }]
  const failed = checks.filter((entry) => !entry.check.ok).length
  goal(
    '0 lost or duplicated rows',
    failed ? `${failed} of ${checks.length} row checks failed` : `${checks.length} row checks ok`,
    failed === 0,
  )
  const { ids, total } = SETTINGS.storm
  const storm = loads.storm
  goal(
    `retry storm: exactly ${ids} leads and ${ids} consents${QUICK ? ` (quick: ${total} submissions)` : ''}`,
    `${storm.rows.leads} leads, ${storm.rows.consent_ledger} consents`,
    storm.ok,
  )
  const largeNote = QUICK
    ? ` (quick: ${SETTINGS.large.leads.toLocaleString('en-US')} leads, ${SETTINGS.large.touchpoints.toLocaleString('en-US')} touchpoints)`
    : ''
  const ms = (value) => (value === undefined ? '—' : `${whole(value)} ms`)
  goal(
    `campaign report, 90 days, on 1M leads / 10M touchpoints ≤ 300 ms median${largeNote}`,
    large ? `${ms(large.goals.report90)} (the slower of first and last touch)` : '—',
    large ? large.goals.report90 <= 300 : null,
  )
  goal(
    `dashboard (with its series), 90 days, on 1M leads / 10M touchpoints ≤ 300 ms median${largeNote}`,
    ms(large?.goals.dashboard90),
    large ? large.goals.dashboard90 <= 300 : null,
  )
  return ['### Goals (issue 16)', '', markdownTable(['goal', 'measured', 'verdict'], rows)].join(
    '\n',
  )
}

/** A file size in MiB, or GiB from 1 GiB up. */
function bytes(n) {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(0)} MiB`
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
for (const [name, phase] of [
  ['queue', loads],
  ['direct', loads.direct],
]) {
  out.push(`### Ingest and submissions against the no-op baseline: ${MODES[name].title}`)
  out.push('')
  out.push(loadTable(phase.checked))
  out.push('')
  if (name === 'queue') {
    out.push(
      `The row check waited ${loads.drain.seconds.toFixed(1)} s after the last load for the touchpoints accepted to be in D1 (counts polled every second)${loads.drain.complete ? '' : '; **they were still short when it gave up**'}.`,
    )
    out.push('')
  }
}
out.push(
  `¹ For \`POST /v1/leads\` the events/s column counts leads stored per second. Each “× no-op” is the figure divided by the no-op route’s at the same concurrency in the same start of the collector (events/s by the no-op’s requests/s). Errors are non-2xx answers and socket errors; p50 and p99 are of 2xx answers.${QUEUE_BOUND ? ' In queue mode events/s counts what was accepted (answered 202); the rows were all written before the check passed.' : ' wrangler.toml binds no `TOUCHPOINTS` queue, so both starts wrote touchpoints directly.'}`,
)
out.push('')
const { size } = loads
const siteTouchpoints = SETTINGS.siteSize.touchpoints
out.push(
  `### Submissions against the site's size${QUICK ? ` (quick: ${siteTouchpoints.toLocaleString('en-US')} touchpoints, not 1,000,000)` : ''}`,
)
out.push('')
out.push(
  markdownTable(
    ['site', 'touchpoints before', 'req/s', 'p50 ms', '× empty', 'p99 ms', 'errors', 'rows in D1'],
    ['empty', 'large'].map((which) => [
      SIZE_SITES[which],
      which === 'empty' ? 0 : siteTouchpoints.toLocaleString('en-US'),
      whole(size[which].requestsPerSecond),
      fixed(size[which].p50),
      ratio(size[which].p50, size.empty.p50),
      fixed(size[which].p99),
      size[which].errors,
      size[which].check.verdict,
    ]),
  ),
)
out.push('')
const { submitters, earlier, concurrency, rounds } = SETTINGS.siteSize
const reused = ['empty', 'large'].filter((which) => size[which].named > submitters)
out.push(
  `\`POST /v1/leads\` at concurrency ${concurrency}, ${rounds.length} loads of ${SETTINGS.seconds} s (${rounds.join(', ')}); p50 and p99 are the means of each site's loads. The large site's touchpoints were seeded in bulk (${loads.seedSeconds.toFixed(1)} s): ${(siteTouchpoints - submitters * earlier).toLocaleString('en-US')} of some ${Math.floor((siteTouchpoints - submitters * earlier) / 10).toLocaleString('en-US')} visitors over 90 days (half with a visitor id, half with a daily hash only) and ${earlier} page views in the last week for each of the ${submitters.toLocaleString('en-US')} visitors the submissions name, each named once${reused.length ? `; **more submissions than visitors on ${reused.join(' and ')}: some visitors were named twice**` : ''}.`,
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
  out.push(
    `### Reports on a large site (${leads.toLocaleString('en-US')} leads, ${touchpoints.toLocaleString('en-US')} touchpoints)`,
  )
  out.push('')
  out.push(
    markdownTable(
      ['request', 'median ms', 'note'],
      large.rows.map((row) => [row.what, whole(row.medianMs), row.detail ?? '']),
    ),
  )
  out.push('')
  const seeding = large.seeding
    ? ` Seeding took ${large.seeding.seconds.toFixed(1)} s (${large.seeding.at}); the database file was ${bytes(large.seeding.bytes)} after it, ${bytes(large.seeding.bytesNow)} now.`
    : ''
  out.push(
    `Medians of ${runs} runs after one warm-up each, one request at a time, on \`wrangler dev\` (seeded in bulk by \`scripts/seed-large.mjs\`, kept in \`.bench/\`).${seeding}`,
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

const checks = [
  ...loads.checked,
  ...loads.direct.checked,
  { check: size.empty.check },
  { check: size.large.check },
]
const mismatches = checks.filter((entry) => !entry.check.ok)

out.push(goalsTable(loads, large))
out.push('')
if (mismatches.length) {
  out.push(`**${mismatches.length} row check(s) failed.**`)
}
if (!stormOk) out.push('**The retry storm check failed.**')
process.stdout.write(out.join('\n') + '\n')
say(`• done in ${runtime}`)
if (mismatches.length || !stormOk) process.exit(1)
