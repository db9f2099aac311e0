import { createRoute } from '@hono/zod-openapi'
import {
  LeadParamsSchema,
  StageChangeInputSchema,
  StageChangeResultSchema,
} from '../../../../shared/leads'
import { B2B_STAGES, B2C_STAGES, type StageModel } from '../../../../shared/vocabulary'
import { findLead } from '../../db/leads'
import { findSite } from '../../db/sites'
import { applyManualStage } from '../../db/stage-change'
import { listStageHistory } from '../../db/stage-history'
import { siteStore } from '../../db/store'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { nowIso } from '../../lib/time'
import { actorOf, authenticate, requireScope } from '../../middleware/auth'
import { snapshotOfRow, stageChangedEvent } from '../../services/outbound/events'
import { announce } from '../../services/outbound/queue'

const ORDER: Record<StageModel, readonly string[]> = { b2b: B2B_STAGES, b2c: B2C_STAGES }

/** Whether `to` lies before `from` in the model's funnel (`disqualified` stands outside it). */
function isBackward(model: StageModel, from: string, to: string): boolean {
  if (from === 'disqualified' || to === 'disqualified') return false
  return ORDER[model].indexOf(to) < ORDER[model].indexOf(from)
}

export const adminStage = createRouter()

adminStage.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/leads/{leadId}/stage',
    summary: 'Set a lead’s stage by hand',
    description:
      '`opportunity`, `customer` (with the deal value) and `disqualified` come from people; any stage of the site’s model may be set, and moving back needs a reason. Rules never overwrite a stage set here.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:write')] as const,
    request: {
      params: LeadParamsSchema,
      body: { content: { 'application/json': { schema: StageChangeInputSchema } }, required: true },
    },
    responses: {
      200: {
        description: 'The lead’s stage history after the change',
        content: {
          'application/json': {
            schema: StageChangeResultSchema,
          },
        },
      },
      ...PROBLEM_RESPONSES,
      409: { description: 'The lead changed meanwhile; retry' },
    },
  }),
  async (c) => {
    const { siteKey, leadId } = c.req.valid('param')
    const input = c.req.valid('json')
    const site = await findSite(c.env.DB, siteKey)
    const lead = site ? await findLead(siteStore(c.env, siteKey), siteKey, leadId) : null
    if (!site || !lead)
      throw new HttpProblem({
        code: 'lead_not_found',
        detail: 'There is no such lead on this site.',
      })
    const errors = []
    if (!ORDER[site.stageModel].includes(input.stage)) {
      errors.push({ path: 'stage', message: `is not a stage of the ${site.stageModel} model` })
    }
    if (input.stage === 'customer' && !input.value) {
      errors.push({ path: 'value', message: 'a customer needs the deal value' })
    }
    if (input.stage !== 'customer' && input.value) {
      errors.push({ path: 'value', message: 'only a customer has a deal value' })
    }
    if (isBackward(site.stageModel, lead.stage, input.stage) && !input.reason) {
      errors.push({ path: 'reason', message: 'moving a lead back needs a reason' })
    }
    if (errors.length)
      throw new HttpProblem({
        code: 'validation_failed',
        detail: 'The stage change is not valid.',
        errors,
      })
    const now = nowIso()
    const deal = input.value ?? null
    const event = stageChangedEvent(
      { ...snapshotOfRow(lead), deal },
      { from: lead.stage, to: input.stage, cause: 'manual', now },
      c.get('config').APP_URL ?? new URL(c.req.url).origin,
    )
    const applied = await applyManualStage(
      siteStore(c.env, siteKey),
      {
        siteKey,
        leadId,
        expectedVersion: lead.version,
        from: lead.stage,
        to: input.stage,
        tokenId: actorOf(c.get('principal')),
        reason: input.reason ?? null,
        value: deal,
        now,
      },
      [event],
    )
    if (!applied)
      throw new HttpProblem({
        code: 'conflict',
        detail: 'The lead changed meanwhile; please retry.',
      })
    await announce(c.env.OUTBOUND, applied)
    return c.json(
      {
        leadId,
        stage: input.stage,
        stageHistory: await listStageHistory(siteStore(c.env, siteKey), leadId),
      },
      200,
    )
  },
)
