/**
 * Item 5 of issue 7 and item 6 of issue 16: a large site (1,000,000 leads and
 * 10,000,000 touchpoints in a full run). Seeding and the campaign report's
 * timing are scripts/seed-large.mjs, run as it is; its medians and what its
 * seeding took are read from its output. The dashboard (90 and 30 days), the
 * campaign series and the lead list, which that script does not time, are
 * timed here on the same database.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { ROOT, spawnGroup, startCollector } from '../dev/collector.mjs'

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Runs seed-large.mjs, echoing its lines indented; answers its output. In a
 * process group of its own, so the bench's exit or Ctrl+C ends it (and it, its
 * own wrangler dev).
 */
function runSeedLarge(args) {
  return new Promise((resolve, reject) => {
    const script = path.join(ROOT, 'scripts', 'seed-large.mjs')
    const child = spawnGroup(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const echo = (chunk) => {
      output += chunk
      process.stderr.write(
        String(chunk)
          .split('\n')
          .map((line) => (line ? `    ${line}` : line))
          .join('\n'),
      )
    }
    child.stdout.on('data', echo)
    child.stderr.on('data', echo)
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`seed-large.mjs exited ${code}`)),
    )
  })
}

/** `  all 90 days   first    90000 leads,  50 rows: median 812 ms, min 790 ms (…)` */
const REPORT_LINE =
  /^\s*(all 90 days|last 30 days)\s+(first|last)\s+(\d+) leads,\s+(\d+) rows: median (\d+) ms/

function parseReports(output) {
  return output
    .split('\n')
    .map((line) => line.match(REPORT_LINE))
    .filter(Boolean)
    .map(([, range, attribution, leads, rows, ms]) => ({
      what: `campaign report, ${attribution} touch, ${range}`,
      detail: `${leads} leads in ${rows} campaign rows`,
      medianMs: Number(ms),
    }))
}

/** Times `GET pathname` `runs` times after one warm-up; answers the median and the answer. */
async function time(collector, pathname, runs) {
  const timings = []
  let body
  for (let i = 0; i <= runs; i++) {
    const started = performance.now()
    body = await collector.admin(pathname)
    if (i > 0) timings.push(performance.now() - started)
  }
  return { medianMs: median(timings), body }
}

const dayOffset = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

/** `• seeding: 83.1 s on 2026-12-04T23:12:00.000Z, 3512345678 bytes after it, 3512345678 bytes now` */
const SEEDING_LINE = /^• seeding: ([\d.]+) s on (\S+), (\d+) bytes after it, (\d+) bytes now/m

/**
 * The dashboard's data for the last `days` days, as the screen requests it
 * (app/src/screens/dashboard.tsx): one `GET .../reports/dashboard` with the
 * report of this and of the previous period, the series (weekly unless `interval`),
 * the sales-cycle distribution, the form funnel and the campaigns. Answers the
 * median; goal ≤ 300 ms for 90 days (issue 16).
 */
async function timeDashboard(collector, runs, days, interval) {
  const query = `from=${dayOffset(1 - days)}&to=${dayOffset(0)}${interval ? `&interval=${interval}` : ''}`
  return (await time(collector, `/v1/admin/sites/seed-large/reports/dashboard?${query}`, runs))
    .medianMs
}

/** The campaign series alone (`GET .../reports/campaigns/series`), weekly, for the last `days` days. */
async function timeSeries(collector, runs, days) {
  const query = `from=${dayOffset(1 - days)}&to=${dayOffset(0)}&interval=week`
  return (
    await time(collector, `/v1/admin/sites/seed-large/reports/campaigns/series?${query}`, runs)
  ).medianMs
}

/**
 * Seeds (or reuses) the large site, times the campaign report through
 * seed-large.mjs and the rest here. Answers rows for the table, the two
 * figures of issue 16's goal (the slower of the two 90-day campaign reports,
 * the 90-day dashboard) and what seeding took (`null` for a database seeded
 * before seed-large.mjs kept that).
 */
export async function benchLargeSite({ leads, touchpoints, runs }) {
  const output = await runSeedLarge([
    `--leads=${leads}`,
    `--touchpoints=${touchpoints}`,
    `--runs=${runs}`,
  ])
  const reports = parseReports(output)
  if (reports.length !== 4) throw new Error('seed-large.mjs printed no report timings')
  const seeding = output.match(SEEDING_LINE)

  // seed-large.mjs keeps its database here (see its header); the lead list is timed on it.
  const state = path.join(ROOT, '.bench', `seed-large-${leads}-${touchpoints}`)
  if (!existsSync(path.join(state, 'seeded'))) throw new Error(`no seeded database in ${state}`)
  const collector = await startCollector({ persistTo: state, logLevel: 'warn' })
  try {
    const site = '/v1/admin/sites/seed-large/leads'
    const lists = []
    const first = await time(collector, site, runs)
    lists.push({ what: 'lead list, newest 50', medianMs: first.medianMs })
    if (first.body.nextCursor) {
      const cursor = encodeURIComponent(first.body.nextCursor)
      const next = await time(collector, `${site}?cursor=${cursor}`, runs)
      lists.push({ what: 'lead list, next page (cursor)', medianMs: next.medianMs })
    }
    const big = await time(collector, `${site}?limit=200`, runs)
    lists.push({ what: 'lead list, newest 200', medianMs: big.medianMs })
    const stage = await time(collector, `${site}?stage=customer`, runs)
    lists.push({ what: 'lead list, stage = customer', medianMs: stage.medianMs })
    const campaign = await time(collector, `${site}?campaign=campaign-7`, runs)
    lists.push({ what: 'lead list, campaign = campaign-7', medianMs: campaign.medianMs })
    const dashboard90 = await timeDashboard(collector, runs, 90)
    lists.push({ what: 'dashboard, last 90 days (weekly series)', medianMs: dashboard90 })
    lists.push({
      what: 'dashboard, last 90 days (daily series)',
      medianMs: await timeDashboard(collector, runs, 90, 'day'),
    })
    lists.push({
      what: 'dashboard, last 30 days (weekly series)',
      medianMs: await timeDashboard(collector, runs, 30),
    })
    lists.push({
      what: 'campaign series, last 90 days, weekly',
      medianMs: await timeSeries(collector, runs, 90),
    })
    const report90 = Math.max(
      ...reports.filter((row) => row.what.endsWith('all 90 days')).map((row) => row.medianMs),
    )
    return {
      rows: [...reports, ...lists],
      goals: { report90, dashboard90 },
      seeding: seeding && {
        seconds: Number(seeding[1]),
        at: seeding[2],
        bytes: Number(seeding[3]),
        bytesNow: Number(seeding[4]),
      },
    }
  } finally {
    await collector.stop()
  }
}
