import type { z } from 'zod'
import { DEFAULT_MODEL_SETTINGS } from '../../../shared/model'
import {
  DEFAULT_REQUIRED_FIELDS,
  type Site,
  type SiteInputSchema,
  type Theme,
  type TokenCreated,
  type TokenInputSchema,
} from '../../../shared/site'
import { siteHasLeads } from '../db/leads'
import { findSite, upsertSite } from '../db/sites'
import { insertToken } from '../db/tokens'
import type { Config, Principal } from '../env'
import { randomToken, sha256Hex } from '../lib/crypto'
import { HttpProblem } from '../lib/problem'
import { nowIso } from '../lib/time'
import { requireSite } from './lookups'

/**
 * Creates or updates a site. Only the root token creates sites; Turnstile
 * needs the collector's keys; a site that has leads keeps its stage model
 * (their stages belong to it). `email` is always a required field. `db` is the sites registry;
 * `store` the site's store (docs/scale.md#stores), where its leads are; the caller mirrors the
 * saved row into it.
 */
export async function saveSite(
  db: D1Database,
  config: Pick<Config, 'TURNSTILE_SITE_KEY' | 'TURNSTILE_SECRET'>,
  principal: Principal,
  siteKey: string,
  input: z.output<typeof SiteInputSchema>,
  store: D1Database = db,
): Promise<{ site: Site; created: boolean }> {
  const existing = await findSite(db, siteKey)
  if (!existing && principal.kind !== 'root') {
    throw new HttpProblem({ code: 'forbidden', detail: 'Only the root token creates sites.' })
  }
  if (input.turnstile && !(config.TURNSTILE_SITE_KEY && config.TURNSTILE_SECRET)) {
    throw new HttpProblem({
      code: 'turnstile_unavailable',
      detail: 'This collector has no Turnstile keys configured.',
      errors: [
        {
          path: 'turnstile',
          message: 'set TURNSTILE_SITE_KEY and TURNSTILE_SECRET on the collector first',
        },
      ],
    })
  }
  if (existing && existing.stageModel !== input.stageModel) {
    if (await siteHasLeads(store, siteKey)) {
      throw new HttpProblem({
        code: 'stage_model_in_use',
        detail: 'The site has leads in its stage model; it cannot switch models.',
        errors: [
          {
            path: 'stageModel',
            message: `the site's leads are in the ${existing.stageModel} model`,
          },
        ],
      })
    }
  }
  const requiredFields = [
    ...new Set(['email', ...(input.requiredFields ?? DEFAULT_REQUIRED_FIELDS[input.stageModel])]),
  ]
  await upsertSite(
    db,
    siteKey,
    {
      name: input.name,
      allowedOrigins: [...new Set(input.allowedOrigins)],
      locale: input.locale,
      country: input.country,
      stageModel: input.stageModel,
      requiredFields,
      rules: input.rules ?? {},
      retentionDays: input.retentionDays,
      turnstile: input.turnstile,
      // Lower case, so the stored colour reads the same however it was typed.
      accentColor: input.accentColor?.toLowerCase() ?? null,
      // Left out, the site keeps its theme (a settings form need not know it); `{}` clears it.
      theme: input.theme ? lowerCaseColours(input.theme) : (existing?.theme ?? {}),
      // Likewise the learned score's settings (docs/stages-and-scoring.md#learned-score).
      model: input.model ?? existing?.model ?? DEFAULT_MODEL_SETTINGS,
    },
    nowIso(),
  )
  const site = await findSite(db, siteKey)
  if (!site) throw new Error('site vanished after write')
  return { site, created: !existing }
}

/** Issues a site token: its value is in this answer only, storage keeps its SHA-256. */
export async function issueToken(
  db: D1Database,
  siteKey: string,
  input: z.output<typeof TokenInputSchema>,
): Promise<TokenCreated> {
  await requireSite(db, siteKey)
  const token = `lst_${randomToken(32)}`
  const id = `tok_${randomToken(9)}`
  const now = nowIso()
  const scopes = [...new Set(input.scopes)]
  await insertToken(db, {
    id,
    siteKey,
    name: input.name ?? null,
    hash: await sha256Hex(token),
    scopes,
    now,
  })
  return { id, token, scopes, name: input.name ?? null, createdAt: now }
}

/** Colours in lower case, like the accent colour; lengths and fonts as given. */
function lowerCaseColours(theme: Theme): Theme {
  return Object.fromEntries(
    Object.entries(theme).map(([key, value]) => [
      key,
      /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : value,
    ]),
  ) as Theme
}
