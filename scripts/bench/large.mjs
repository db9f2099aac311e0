/**
 * Item 5 of issue 7: a large site (100,000 leads and 1,000,000 touchpoints by
 * default). Seeding and the campaign report's timing are scripts/seed-large.mjs,
 * run as it is; its medians are read from its output. The lead list, which that
 * script does not time, is timed here on the same database.
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

/**
 * The dashboard's data for the last 30 days, as the screen requests it
 * (app/src/screens/dashboard.tsx): one `GET .../reports/dashboard` with the
 * report of this and of the previous period, the weekly series, the sales-cycle
 * distribution, the form funnel and the campaigns. Answers the median; goal ≤ 300 ms.
 */
async function timeDashboard(collector, runs) {
  const pathname = `/v1/admin/sites/seed-large/reports/dashboard?from=${dayOffset(-29)}&to=${dayOffset(0)}`
  return (await time(collector, pathname, runs)).medianMs
}

/**
 * Seeds (or reuses) the large site, times the campaign report through
 * seed-large.mjs and the lead list here. Answers rows for the table.
 */
export async function benchLargeSite({ leads, touchpoints, runs }) {
  const output = await runSeedLarge([
    `--leads=${leads}`,
    `--touchpoints=${touchpoints}`,
    `--runs=${runs}`,
  ])
  const reports = parseReports(output)
  if (reports.length !== 4) throw new Error('seed-large.mjs printed no report timings')

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
    lists.push({ what: 'dashboard, last 30 days', medianMs: await timeDashboard(collector, runs) })
    return [...reports, ...lists]
  } finally {
    await collector.stop()
  }
}
