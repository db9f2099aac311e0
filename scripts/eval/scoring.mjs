#!/usr/bin/env node
/**
 * `npm run eval:scoring` (issue 14; docs/stages-and-scoring.md#evaluation): how well the scores
 * rank buyers above browsers, measured through the real API.
 *
 * 1. starts the collector (wrangler dev, a fresh local D1);
 * 2. for each world (`population.mjs`: who the site sells to, its stage model, effect sizes drawn
 *    from the seed) replays a simulated population as the widget would send it: page views over
 *    several visits with their engaged time, then the form's submission with its answers, source
 *    and consent, all with default settings;
 * 3. prints the stage and temperature split and the ROC AUC of the rule score (fit plus
 *    engagement, the lead list's `score`);
 * 4. sets the outcomes of 80 % of the leads through the stage API (converted: `customer`,
 *    else `disqualified`), trains the site's model through `POST .../model`, and prints its
 *    cross-validated AUC, the AUC of `conversionProbability` on the other 20 % and its
 *    calibration error.
 *
 * Usage:
 *   npm run eval:scoring                  # 3 worlds × 2,000 leads
 *   npm run eval:scoring -- --quick       # CI: 3 worlds × 300 leads, and checks the bars below
 *   npm run eval:scoring -- --leads=5000 --seed=7
 *
 * With `--quick` it exits 1 when a world's rule score ranks no better than 0.6 or one stage or
 * temperature holds more than 75 % of its leads: loose bars for a small sample, there to catch a
 * default that stopped ranking at all.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { migrate, startCollector } from '../dev/collector.mjs'
import { BENCH_SECRET, PAGE_ORIGIN, startTokenFor } from '../bench/load.mjs'
import { markdownTable } from '../bench/table.mjs'
import {
  auc,
  calibrationError,
  drawLeads,
  drawWorld,
  formsOf,
  random,
  WORLDS,
} from './population.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=')
    return [key, value ?? 'true']
  }),
)
const QUICK = args.quick === 'true'
const LEADS = Number(args.leads ?? (QUICK ? 300 : 2000))
const SEED = Number(args.seed ?? 1)
const PARALLEL = 8
const DAY = 86_400_000
const say = (line) => process.stderr.write(`${line}\n`)

/** Runs `work` over `items`, `PARALLEL` at a time. */
async function each(items, work) {
  let next = 0
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < items.length) {
        const i = next++
        await work(items[i], i)
      }
    }),
  )
}

async function post(collector, pathname, body) {
  const response = await fetch(collector.origin + pathname, {
    method: 'POST',
    headers: { origin: PAGE_ORIGIN, 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`POST ${pathname}: ${response.status} ${text}`)
  return JSON.parse(text)
}

/** The touchpoints a lead's visits leave before it submits: page views and their engaged time. */
function journey(lead, siteKey, now, rand) {
  const events = []
  const days = [0, ...Array.from({ length: lead.visits - 1 }, () => 1 + Math.floor(rand() * 20))]
  const share = Array.from({ length: lead.pageViews }, () => 0.2 + rand())
  const total = share.reduce((a, b) => a + b, 0)
  for (let v = 0; v < lead.pageViews; v++) {
    const day = days[v % days.length]
    const at = now - day * DAY - (lead.pageViews - v) * 90_000
    const id = randomUUID()
    const path = rand() < 0.08 ? '/pricing' : ['/', '/blog/guide', '/services', '/about'][v % 4]
    const first = v === 0
    events.push({
      id,
      type: 'page_view',
      ts: new Date(at).toISOString(),
      url: `${PAGE_ORIGIN}${path}${first && lead.source ? `?utm_source=${lead.source}&utm_medium=${lead.medium}` : ''}`,
      ...(first && lead.source ? { utm: { source: lead.source, medium: lead.medium } } : {}),
    })
    let seconds = Math.round((lead.engaged * share[v]) / total)
    // One `engaged_time` carries at most an hour; a longer stay sends several.
    for (let k = 0; seconds >= 1; k++) {
      const value = Math.min(3600, seconds)
      seconds -= value
      events.push({
        id: randomUUID(),
        type: 'engaged_time',
        ts: new Date(at + 1000 + k).toISOString(),
        url: `${PAGE_ORIGIN}${path}`,
        value,
        pageViewId: id,
      })
    }
  }
  return { siteKey, events }
}

async function replay(collector, world, index) {
  const siteKey = `eval-${index}`
  const effects = drawWorld(SEED * 31 + index, world.audience)
  const leads = drawLeads(effects, LEADS, SEED * 1009 + index)
  await collector.admin(`/v1/admin/sites/${siteKey}`, {
    method: 'PUT',
    body: JSON.stringify({
      name: `Eval ${world.name}`,
      allowedOrigins: [PAGE_ORIGIN],
      stageModel: world.stageModel,
    }),
  })
  const forms = {}
  for (const [formId, form] of Object.entries(formsOf(world.audience))) {
    const saved = await collector.admin(`/v1/admin/sites/${siteKey}/forms/${formId}`, {
      method: 'PUT',
      body: JSON.stringify(form),
    })
    forms[formId] = saved.consents[0].textId
  }
  const rand = random(SEED + index)
  const now = Date.now()
  const ids = new Array(leads.length)
  await each(leads, async (lead, i) => {
    const visitorId = randomUUID()
    const { events } = journey(lead, siteKey, now, rand)
    for (let start = 0; start < events.length; start += 100) {
      await post(collector, '/v1/events', {
        siteKey,
        visitorId,
        events: events.slice(start, start + 100),
      })
    }
    const domain = lead.business
      ? `firma${i % 50}.example`
      : ['gmail.com', 'web.de', 'gmx.de'][i % 3]
    const answer = await post(collector, '/v1/leads', {
      siteKey,
      formId: lead.form,
      submissionId: randomUUID(),
      visitorId,
      fields: {
        email: `lead${i}@${domain}`,
        firstName: 'Sim',
        lastName: `Lead ${i}`,
        ...lead.answers,
      },
      consents: [{ purpose: 'marketing_email', granted: lead.consent, textId: forms[lead.form] }],
      page: { url: `${PAGE_ORIGIN}/${lead.form}` },
      ...(lead.source ? { utm: { source: lead.source, medium: lead.medium } } : {}),
      startToken: startTokenFor(siteKey, lead.form),
    })
    ids[i] = answer.leadId
    if ((i + 1) % 500 === 0) say(`  ${world.name}: ${i + 1} leads`)
  })
  return { siteKey, leads, ids }
}

/** Every lead of the site as the lead list answers it, by id. */
async function listLeads(collector, siteKey) {
  const byId = new Map()
  let cursor
  do {
    const page = await collector.admin(
      `/v1/admin/sites/${siteKey}/leads?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    for (const lead of page.leads) byId.set(lead.leadId ?? lead.id, lead)
    cursor = page.nextCursor
  } while (cursor)
  return byId
}

const percent = (value) => `${(value * 100).toFixed(0)} %`
const split = (values) => {
  const counts = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([value, n]) => ({ value, share: n / values.length }))
}
const fixed = (value) => (Number.isFinite(value) ? value.toFixed(3) : '–')

async function evaluate(collector, world, index) {
  say(`• ${world.name}: replaying ${LEADS} leads`)
  const { siteKey, leads, ids } = await replay(collector, world, index)
  const listed = await listLeads(collector, siteKey)
  const rows = leads.map((lead, i) => ({ lead, row: listed.get(ids[i]) }))
  const labels = rows.map(({ lead }) => lead.converted)
  const stages = split(rows.map(({ row }) => row.stage))
  const temperatures = split(rows.map(({ row }) => row.temperature))
  const ruleAuc = auc(
    rows.map(({ row }) => row.score),
    labels,
  )

  say(`• ${world.name}: setting the outcomes of 80 % and training`)
  const train = rows.filter((_, i) => i % 5 !== 0)
  await each(train, async ({ lead, row }) => {
    await collector.admin(`/v1/admin/sites/${siteKey}/leads/${row.leadId ?? row.id}/stage`, {
      method: 'POST',
      body: JSON.stringify(
        lead.converted
          ? { stage: 'customer', value: { amount: 1000, currency: 'EUR' } }
          : { stage: 'disqualified', reason: 'no deal' },
      ),
    })
  })
  let model = null
  let heldOut = { auc: NaN, calibration: NaN, ruleAuc: NaN }
  try {
    model = await collector.admin(`/v1/admin/sites/${siteKey}/model`, { method: 'POST' })
    const after = await listLeads(collector, siteKey)
    const test = rows.filter((_, i) => i % 5 === 0)
    const testLabels = test.map(({ lead }) => lead.converted)
    const probabilities = test.map(
      ({ row }) => after.get(row.leadId ?? row.id).conversionProbability,
    )
    heldOut = {
      ruleAuc: auc(
        test.map(({ row }) => row.score),
        testLabels,
      ),
      auc: probabilities.every((p) => typeof p === 'number') ? auc(probabilities, testLabels) : NaN,
      calibration: probabilities.every((p) => typeof p === 'number')
        ? calibrationError(probabilities, testLabels)
        : NaN,
    }
  } catch (error) {
    say(`  training failed: ${error.message}`)
  }
  return {
    world: world.name,
    leads: leads.length,
    converted: labels.filter(Boolean).length / leads.length,
    ruleAuc,
    heldOut,
    model,
    stages,
    temperatures,
  }
}

const state = mkdtempSync(path.join(os.tmpdir(), 'lodestone-eval-'))
migrate(state)
say('• starting the collector (wrangler dev, RATE_LIMITS=off)')
const collector = await startCollector({
  persistTo: state,
  // Each journey's touchpoints are stored before its lead is submitted, as the figures were made.
  vars: { RATE_LIMITS: 'off', LODESTONE_SECRET: BENCH_SECRET, TOUCHPOINT_QUEUE: 'off' },
  logLevel: 'warn',
})
let results
try {
  results = []
  for (const [index, world] of WORLDS.entries())
    results.push(await evaluate(collector, world, index))
} finally {
  await collector.stop()
  rmSync(state, { recursive: true, force: true })
}

const shares = (list) => list.map(({ value, share }) => `${value} ${percent(share)}`).join(', ')
process.stdout.write(
  `## Scoring evaluation (seed ${SEED}, ${LEADS} leads a world)\n\n${markdownTable(
    [
      'world',
      'converted',
      'rule AUC (all)',
      'rule AUC (held out)',
      'learned AUC (held out)',
      'model CV AUC',
      'calibration error',
      'model used',
      'stages',
      'temperatures',
    ],
    results.map((r) => [
      r.world,
      percent(r.converted),
      fixed(r.ruleAuc),
      fixed(r.heldOut.ruleAuc),
      fixed(r.heldOut.auc),
      fixed(r.model?.auc),
      fixed(r.heldOut.calibration),
      r.model ? String(r.model.used) : '–',
      shares(r.stages),
      shares(r.temperatures),
    ]),
  )}\n`,
)

if (QUICK) {
  const failures = results.flatMap((r) => [
    ...(r.ruleAuc > 0.6 ? [] : [`${r.world}: rule AUC ${fixed(r.ruleAuc)} ≤ 0.6`]),
    ...[...r.stages, ...r.temperatures]
      .filter(({ share }) => share > 0.75)
      .map(({ value, share }) => `${r.world}: ${value} holds ${percent(share)}`),
  ])
  for (const failure of failures) say(`FAILED: ${failure}`)
  if (failures.length) process.exit(1)
}
