import { createRoute, z } from '@hono/zod-openapi'
import { SITE_KEY } from '../../../../shared/common'
import { ModelSummarySchema } from '../../../../shared/model'
import { findLatestModel, toModelSummary } from '../../db/score-models'
import { siteStore } from '../../db/store'
import { HttpProblem } from '../../lib/problem'
import { createRouter, PROBLEM_RESPONSES } from '../../lib/router'
import { authenticate, requireScope } from '../../middleware/auth'
import { rescoreSite, trainSiteModel } from '../../services/lead-model'
import { requireSite } from '../../services/lookups'

const SiteParams = z.object({ siteKey: SITE_KEY })
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } })

/** Rescoring batches done within the training request; the rest continue after the answer. */
const INLINE_BATCHES = 2
const LATER_BATCHES = 40

export const adminModel = createRouter()

adminModel.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/sites/{siteKey}/model',
    summary: 'Train the learned score now',
    description: [
      'Trains a new version of the site’s learned score (docs/stages-and-scoring.md#learned-score) on its leads with an outcome: a positive reached `opportunity` or `customer`; a negative is `disqualified`, or was created and last moved `model.negativeAfterDays` days ago (site setting, default 90).',
      'Answers its 5-fold cross-validated `auc`, the rule score’s `ruleAuc` on the same leads and the `calibrationError`. It is `used` only with `model.minPositives` positives (default 50) and an `auc` at least 0.02 above `ruleAuc`; then every lead is rescored with its `conversionProbability`, else probabilities are cleared and the rules rank. `422 too_few_examples` with fewer than 10 leads of either outcome (nothing stored). Needs `site:admin`.',
    ].join('\n\n'),
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('site:admin')] as const,
    request: { params: SiteParams },
    responses: {
      201: { description: 'The new version', ...json(ModelSummarySchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    const site = await requireSite(c.env.DB, siteKey)
    const model = await trainSiteModel(siteStore(c.env, siteKey), site, new Date())
    // Bounded batches now; a large site continues after the answer, and the hourly cron after that.
    if (!(await rescoreSite(siteStore(c.env, siteKey), site, INLINE_BATCHES)))
      c.executionCtx.waitUntil(
        rescoreSite(siteStore(c.env, siteKey), site, LATER_BATCHES).then(() => undefined),
      )
    return c.json(toModelSummary(model), 201)
  },
)

adminModel.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/sites/{siteKey}/model',
    summary: 'The current learned score',
    description:
      'The site’s latest model version and its figures, as `POST` answered them; `404 model_not_found` before the first training. Needs `leads:read`.',
    security: [{ bearer: [] }],
    middleware: [authenticate, requireScope('leads:read')] as const,
    request: { params: SiteParams },
    responses: {
      200: { description: 'The latest version', ...json(ModelSummarySchema) },
      ...PROBLEM_RESPONSES,
    },
  }),
  async (c) => {
    const { siteKey } = c.req.valid('param')
    await requireSite(c.env.DB, siteKey)
    const model = await findLatestModel(siteStore(c.env, siteKey), siteKey)
    if (!model)
      throw new HttpProblem({
        code: 'model_not_found',
        detail: 'The site has no learned score yet: train one with POST.',
      })
    return c.json(toModelSummary(model), 200)
  },
)
