import type { Rules } from '../../../shared/rules'
import type { Locale } from '../../../shared/common'
import { DEFAULT_MODEL_SETTINGS, type ModelSettings } from '../../../shared/model'
import type { Site, StageModel, Theme } from '../../../shared/site'
import { parseJson } from './json'

interface SiteRow {
  site_key: string
  name: string
  allowed_origins: string
  locale: string
  country: string
  stage_model: string
  required_fields: string
  rules: string
  retention_days: number
  turnstile: number
  accent_color: string | null
  theme: string | null
  model_settings: string | null
  created_at: string
  updated_at: string
}

function toSite(row: SiteRow): Site {
  return {
    siteKey: row.site_key,
    name: row.name,
    allowedOrigins: parseJson<string[]>(row.allowed_origins, []),
    locale: row.locale as Locale,
    country: row.country,
    stageModel: row.stage_model as StageModel,
    requiredFields: parseJson<string[]>(row.required_fields, ['email']),
    rules: parseJson<Rules>(row.rules, {}),
    retentionDays: row.retention_days,
    turnstile: row.turnstile === 1,
    accentColor: row.accent_color,
    theme: parseJson<Theme>(row.theme, {}),
    // Defaults filled in key by key (docs/stages-and-scoring.md#learned-score).
    model: {
      ...DEFAULT_MODEL_SETTINGS,
      ...parseJson<Partial<ModelSettings>>(row.model_settings, {}),
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function findSite(db: D1Database, siteKey: string): Promise<Site | null> {
  const row = await db
    .prepare('SELECT * FROM sites WHERE site_key = ?1')
    .bind(siteKey)
    .first<SiteRow>()
  return row ? toSite(row) : null
}

/** Whether any site allows this origin: enough to answer a CORS preflight. */
export async function isKnownOrigin(db: D1Database, origin: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS known FROM site_origins WHERE origin = ?1 LIMIT 1')
    .bind(origin)
    .first()
  return row !== null
}

export interface SiteWrite {
  name: string
  allowedOrigins: string[]
  locale: string
  country: string
  stageModel: string
  requiredFields: string[]
  rules: Rules
  retentionDays: number
  turnstile: boolean
  accentColor: string | null
  theme: Theme
  model: ModelSettings
}

/** Creates or replaces a site and its origin index in one transaction. */
export async function upsertSite(
  db: D1Database,
  siteKey: string,
  site: SiteWrite,
  now: string,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO sites (site_key, name, allowed_origins, locale, country, stage_model, required_fields, rules, retention_days, turnstile, accent_color, created_at, updated_at, theme, model_settings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?11, ?12, ?9, ?9, ?13, ?14)
         ON CONFLICT (site_key) DO UPDATE SET
           name = excluded.name, allowed_origins = excluded.allowed_origins, locale = excluded.locale,
           country = excluded.country, stage_model = excluded.stage_model,
           required_fields = excluded.required_fields, rules = excluded.rules,
           retention_days = excluded.retention_days, turnstile = excluded.turnstile,
           accent_color = excluded.accent_color, updated_at = excluded.updated_at,
           theme = excluded.theme, model_settings = excluded.model_settings`,
      )
      .bind(
        siteKey,
        site.name,
        JSON.stringify(site.allowedOrigins),
        site.locale,
        site.country,
        site.stageModel,
        JSON.stringify(site.requiredFields),
        JSON.stringify(site.rules),
        now,
        site.retentionDays,
        site.turnstile ? 1 : 0,
        site.accentColor,
        Object.keys(site.theme).length ? JSON.stringify(site.theme) : null,
        JSON.stringify(site.model),
      ),
    db.prepare('DELETE FROM site_origins WHERE site_key = ?1').bind(siteKey),
    ...site.allowedOrigins.map((origin) =>
      db
        .prepare('INSERT OR IGNORE INTO site_origins (origin, site_key) VALUES (?1, ?2)')
        .bind(origin, siteKey),
    ),
  ])
}
