import type { Locale, Localized } from '../../../shared/common'
import {
  formLocales,
  textIn,
  type ConsentVersion,
  type Form,
  type FormConsent,
  type FormField,
  type FormKind,
  type Popup,
} from '../../../shared/form'
import { parseJson } from './json'

interface FormRow {
  site_key: string
  form_id: string
  kind: string
  title: string
  description: string | null
  fields: string
  consents: string
  asset_url: string | null
  asset_name: string | null
  popup: string | null
  submit_label: string | null
  /** JSON {@link FormTexts}; null on forms saved before texts per language. */
  texts: string | null
  updated_at: string
}

/** The form's own texts as given: one string, or one per language. */
export interface FormTexts {
  title: Localized
  description?: Localized
  submitLabel?: Localized
  thanks?: Localized
}

interface ConsentTextRow {
  id: string
  purpose: string
  version: number
  text: string
  sha256: string
}

/**
 * How a form refers to a consent text; the text itself lives in `consent_texts`. `textId` is
 * the version in the form's first language; `texts` names each language's version.
 */
export interface FormConsentRef {
  purpose: string
  textId: string
  required: boolean
  texts?: Partial<Record<Locale, string>>
}

/**
 * A form of a site. `siteLocale` is the language of a form saved with plain strings only
 * (docs/wire-contract.md#texts-per-language).
 */
export async function findForm(
  db: D1Database,
  site: { siteKey: string; locale: Locale },
  formId: string,
): Promise<Form | null> {
  const row = await db
    .prepare('SELECT * FROM forms WHERE site_key = ?1 AND form_id = ?2')
    .bind(site.siteKey, formId)
    .first<FormRow>()
  if (!row) return null
  const [form] = await withConsentTexts(db, [row], site.locale)
  return form ?? null
}

export async function listForms(
  db: D1Database,
  site: { siteKey: string; locale: Locale },
): Promise<Form[]> {
  const { results } = await db
    .prepare('SELECT * FROM forms WHERE site_key = ?1 ORDER BY form_id')
    .bind(site.siteKey)
    .all<FormRow>()
  return withConsentTexts(db, results, site.locale)
}

async function withConsentTexts(
  db: D1Database,
  rows: FormRow[],
  siteLocale: Locale,
): Promise<Form[]> {
  const refs = rows.map((row) => parseJson<FormConsentRef[]>(row.consents, []))
  const ids = [
    ...new Set(refs.flat().flatMap((ref) => [ref.textId, ...Object.values(ref.texts ?? {})])),
  ]
  const texts = new Map<string, ConsentTextRow>()
  if (ids.length) {
    const { results } = await db
      .prepare(
        `SELECT id, purpose, version, text, sha256 FROM consent_texts
         WHERE id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(ids))
      .all<ConsentTextRow>()
    for (const text of results) texts.set(text.id, text)
  }
  const version = (id: string): ConsentVersion | null => {
    const text = texts.get(id)
    return text
      ? { textId: text.id, version: text.version, sha256: text.sha256, text: text.text }
      : null
  }
  return rows.map((row, index) => {
    const own = parseJson<FormTexts | null>(row.texts, null) ?? {
      title: row.title,
      description: row.description ?? undefined,
      submitLabel: row.submit_label ?? undefined,
    }
    const fields = parseJson<FormField[]>(row.fields, [])
    const consents = (refs[index] ?? []).flatMap((ref): FormConsent[] => {
      const first = version(ref.textId)
      if (!first) return []
      const perLocale = Object.entries(ref.texts ?? {}).flatMap(([locale, id]) => {
        const found = version(id)
        return found ? [[locale, found] as const] : []
      })
      return [
        {
          purpose: ref.purpose,
          ...first,
          required: ref.required,
          ...(perLocale.length ? { texts: Object.fromEntries(perLocale) } : {}),
        },
      ]
    })
    return {
      formId: row.form_id,
      kind: row.kind as FormKind,
      locales: formLocales(
        {
          ...own,
          fields,
          consents: consents.map((consent) => ({
            purpose: consent.purpose,
            required: consent.required,
            text: consent.texts
              ? Object.fromEntries(Object.entries(consent.texts).map(([l, v]) => [l, v.text]))
              : consent.text,
          })),
        },
        siteLocale,
      ),
      title: own.title,
      description: own.description ?? null,
      fields,
      consents,
      asset:
        row.asset_url && row.asset_name ? { url: row.asset_url, filename: row.asset_name } : null,
      popup: parseJson<Popup | null>(row.popup, null),
      submitLabel: own.submitLabel ?? null,
      thanks: own.thanks ?? null,
      updatedAt: row.updated_at,
    }
  })
}

/**
 * Stores a consent text once per site, purpose and exact wording; a new wording
 * gets the next version. Texts are never changed, so ledger entries that point
 * at one keep proving what was shown.
 */
export async function ensureConsentText(
  db: D1Database,
  text: { id: string; siteKey: string; purpose: string; text: string; sha256: string; now: string },
  attempt = 0,
): Promise<string> {
  let found: D1Result | undefined
  try {
    ;[, found] = await db.batch([
      db
        .prepare(
          `INSERT INTO consent_texts (id, site_key, purpose, version, text, sha256, created_at)
         SELECT ?1, ?2, ?3, COALESCE(MAX(version), 0) + 1, ?4, ?5, ?6
           FROM consent_texts WHERE site_key = ?2 AND purpose = ?3
         ON CONFLICT (site_key, purpose, sha256) DO NOTHING`,
        )
        .bind(text.id, text.siteKey, text.purpose, text.text, text.sha256, text.now),
      db
        .prepare(
          'SELECT id FROM consent_texts WHERE site_key = ?1 AND purpose = ?2 AND sha256 = ?3',
        )
        .bind(text.siteKey, text.purpose, text.sha256),
    ])
  } catch (error) {
    // Two new wordings saved at once can race for the same version number: take the next one.
    if (attempt < 3 && /UNIQUE constraint failed/.test((error as Error).message)) {
      return ensureConsentText(db, text, attempt + 1)
    }
    throw error
  }
  const row = (found?.results[0] ?? null) as { id: string } | null
  if (!row) throw new Error('consent text was not stored')
  return row.id
}

export async function upsertForm(
  db: D1Database,
  form: {
    siteKey: string
    formId: string
    kind: string
    /** The form's first language: the plain columns keep its texts. */
    locale: Locale
    texts: FormTexts
    fields: FormField[]
    consents: FormConsentRef[]
    asset: { url: string; filename: string } | null
    popup: Popup | null
    now: string
  },
): Promise<void> {
  const { texts, locale } = form
  await db
    .prepare(
      `INSERT INTO forms (site_key, form_id, kind, title, description, fields, consents, asset_url, asset_name, popup, submit_label, texts, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)
       ON CONFLICT (site_key, form_id) DO UPDATE SET
         kind = excluded.kind, title = excluded.title, description = excluded.description,
         fields = excluded.fields, consents = excluded.consents, asset_url = excluded.asset_url,
         asset_name = excluded.asset_name, popup = excluded.popup, submit_label = excluded.submit_label,
         texts = excluded.texts, updated_at = excluded.updated_at`,
    )
    .bind(
      form.siteKey,
      form.formId,
      form.kind,
      textIn(texts.title, locale),
      texts.description === undefined ? null : textIn(texts.description, locale),
      JSON.stringify(form.fields),
      JSON.stringify(form.consents),
      form.asset?.url ?? null,
      form.asset?.filename ?? null,
      form.popup ? JSON.stringify(form.popup) : null,
      texts.submitLabel === undefined ? null : textIn(texts.submitLabel, locale),
      JSON.stringify(texts),
      form.now,
    )
    .run()
}

/** One stored wording of a consent purpose and how many leads of one form were shown it. */
export interface ConsentHistoryRow {
  purpose: string
  version: number
  textId: string
  text: string
  createdAt: string
  leads: number
}

/**
 * Every stored wording of `purposes` on the site (versions count per site and purpose), each
 * with the number of distinct leads whose consent answer on `formId` names it: what leads saw.
 */
export async function consentHistory(
  db: D1Database,
  siteKey: string,
  formId: string,
  purposes: string[],
): Promise<ConsentHistoryRow[]> {
  if (!purposes.length) return []
  const { results } = await db
    .prepare(
      `SELECT t.purpose, t.version, t.id AS textId, t.text, t.created_at AS createdAt,
              (SELECT COUNT(DISTINCT l.lead_id) FROM consent_ledger l
                WHERE l.site_key = t.site_key AND l.text_id = t.id AND l.form_id = ?2) AS leads
         FROM consent_texts t
        WHERE t.site_key = ?1 AND t.purpose IN (SELECT value FROM json_each(?3))
        ORDER BY t.purpose, t.version`,
    )
    .bind(siteKey, formId, JSON.stringify(purposes))
    .all<ConsentHistoryRow>()
  return results
}

/** The stored version of one exact wording, if any (the form builder's preview). */
export async function findConsentText(
  db: D1Database,
  siteKey: string,
  purpose: string,
  sha256: string,
): Promise<ConsentVersion | null> {
  const row = await db
    .prepare(
      'SELECT id, version, text, sha256 FROM consent_texts WHERE site_key = ?1 AND purpose = ?2 AND sha256 = ?3',
    )
    .bind(siteKey, purpose, sha256)
    .first<Omit<ConsentTextRow, 'purpose'>>()
  return row ? { textId: row.id, version: row.version, sha256: row.sha256, text: row.text } : null
}
