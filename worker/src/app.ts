import { OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { readConfig, type AppEnv } from './env'
import { utf8Body } from './lib/body'
import { HttpProblem, renderProblem, toHttpProblem } from './lib/problem'
import { describeProblems } from './lib/router'
import { publicPreflight } from './middleware/cors'
import { adminCampaigns } from './routes/admin/campaigns'
import { adminDeals } from './routes/admin/deals'
import { adminForms } from './routes/admin/forms'
import { adminImport } from './routes/admin/import'
import { adminInstall } from './routes/admin/install'
import { adminIntegrations } from './routes/admin/integrations'
import { adminLeads } from './routes/admin/leads'
import { adminModel } from './routes/admin/model'
import { adminReports } from './routes/admin/reports'
import { adminPrivacy } from './routes/admin/privacy'
import { adminSites } from './routes/admin/sites'
import { adminSpam } from './routes/admin/spam'
import { adminStage } from './routes/admin/stage'
import { adminUsers } from './routes/admin/users'
import { adminWebhooks } from './routes/admin/webhooks'
import { auth } from './routes/auth'
import { config } from './routes/config'
import { consent } from './routes/consent'
import { downloads } from './routes/downloads'
import { events } from './routes/events'
import { inbound } from './routes/inbound'
import { leads } from './routes/leads'
import { noop } from './routes/noop'
import { appPages } from './routes/app'
import { pages } from './routes/pages'

/** Body limits per route group, generous for honest clients and cheap to refuse. */
const LIMITS = {
  events: 256 * 1024,
  leads: 64 * 1024,
  admin: 256 * 1024,
  // A history import carries up to 200 leads and 5000 touchpoints (docs/import.md).
  import: 4 * 1024 * 1024,
}
const IMPORT_PATH = /^\/v1\/admin\/sites\/[^/]+\/import$/

/** A route group's body limit, then the UTF-8 check of what passed it (worker/src/lib/body.ts). */
function limit(maxSize: number): MiddlewareHandler[] {
  return [limitSize(maxSize), utf8Body]
}

function limitSize(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      renderProblem(
        c,
        new HttpProblem({
          code: 'body_too_large',
          detail: {
            en: `The request body is larger than ${maxSize} bytes.`,
            de: `Die Anfrage ist größer als ${maxSize} Bytes.`,
          },
        }),
      ),
  })
}

export function createApp() {
  const app = new OpenAPIHono<AppEnv>()

  app.use('*', async (c, next) => {
    c.set('config', readConfig(c.env))
    await next()
  })
  app.use('/v1/events', ...limit(LIMITS.events))
  app.use('/v1/leads', ...limit(LIMITS.leads))
  app.use('/v1/noop', ...limit(LIMITS.events))
  const [adminSize, adminUtf8] = limit(LIMITS.admin)
  const [importSize, importUtf8] = limit(LIMITS.import)
  app.use('/v1/admin/*', (c, next) =>
    IMPORT_PATH.test(c.req.path)
      ? importSize!(c, async () => void (await importUtf8!(c, next)))
      : adminSize!(c, async () => void (await adminUtf8!(c, next))),
  )
  app.use('/v1/consent/*', ...limit(4 * 1024))
  // A CRM's deal payload carries the whole deal (docs/inbound-deals.md).
  app.use('/v1/inbound/*', ...limit(LIMITS.admin))
  app.use('/v1/inbound/*', async (c, next) => {
    await next()
    c.header('cache-control', 'no-store')
    c.header('x-content-type-options', 'nosniff')
  })
  app.use('/v1/auth/*', ...limit(4 * 1024))
  app.use('/v1/auth/*', async (c, next) => {
    await next()
    c.header('cache-control', 'no-store')
    c.header('x-content-type-options', 'nosniff')
    c.header('referrer-policy', 'no-referrer')
  })
  app.use('/v1/admin/*', async (c, next) => {
    await next()
    // Admin answers carry personal data: never cache them, never frame them.
    c.header('cache-control', 'no-store')
    c.header('x-content-type-options', 'nosniff')
    c.header('x-frame-options', 'DENY')
    c.header('referrer-policy', 'no-referrer')
  })
  app.use('/v1/events', publicPreflight)
  app.use('/v1/leads', publicPreflight)
  app.use('/v1/sites/*', publicPreflight)

  app.route('/', events)
  app.route('/', leads)
  app.route('/', config)
  app.route('/', downloads)
  app.route('/', consent)
  app.route('/', adminSites)
  app.route('/', adminForms)
  app.route('/', adminLeads)
  app.route('/', adminStage)
  app.route('/', adminDeals)
  app.route('/', adminModel)
  app.route('/', adminPrivacy)
  app.route('/', adminSpam)
  app.route('/', adminCampaigns)
  app.route('/', adminReports)
  app.route('/', adminUsers)
  app.route('/', adminInstall)
  app.route('/', adminImport)
  app.route('/', adminWebhooks)
  app.route('/', inbound)
  app.route('/', adminIntegrations)
  app.route('/', auth)
  app.route('/', noop)

  describeProblems(app)
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
  })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Lodestone collector',
      version: '1.0.0',
      description: 'Lead capture: touchpoints, leads, consent and campaign reports.',
    },
  })
  // `/` says what this server is; `/docs` renders the same document with the collector's own
  // copy of the renderer (docs/wire-contract.md#api-reference).
  app.route('/', pages)
  app.route('/', appPages)

  app.notFound((c) =>
    renderProblem(
      c,
      new HttpProblem({ code: 'not_found', detail: 'There is nothing at this path.' }),
    ),
  )

  app.onError((error, c) => {
    const problem = toHttpProblem(error)
    if (problem.code === 'internal_error') {
      // Log what failed and where, never request data or personal data.
      console.error(
        `unhandled ${error.name} on ${c.req.method} ${c.req.routePath}: ${error.message.slice(0, 200)}`,
      )
    }
    return renderProblem(c, problem)
  })

  return app
}
