import type { FormConsent, FormField, FormKind, Popup, Form } from '../../../shared/form'
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
  updated_at: string
}

interface ConsentTextRow {
  id: string
  purpose: string
  version: number
  text: string
  sha256: string
}

/** How a form refers to a consent text; the text itself lives in `consent_texts`. */
interface FormConsentRef {
  purpose: string
  textId: string
  required: boolean
}

export async function findForm(
  db: D1Database,
  siteKey: string,
  formId: string,
): Promise<Form | null> {
  const row = await db
    .prepare('SELECT * FROM forms WHERE site_key = ?1 AND form_id = ?2')
    .bind(siteKey, formId)
    .first<FormRow>()
  if (!row) return null
  const [form] = await withConsentTexts(db, [row])
  return form ?? null
}

export async function listForms(db: D1Database, siteKey: string): Promise<Form[]> {
  const { results } = await db
    .prepare('SELECT * FROM forms WHERE site_key = ?1 ORDER BY form_id')
    .bind(siteKey)
    .all<FormRow>()
  return withConsentTexts(db, results)
}

async function withConsentTexts(db: D1Database, rows: FormRow[]): Promise<Form[]> {
  const refs = rows.map((row) => parseJson<FormConsentRef[]>(row.consents, []))
  const ids = [...new Set(refs.flat().map((ref) => ref.textId))]
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
  return rows.map((row, index) => ({
    formId: row.form_id,
    kind: row.kind as FormKind,
    title: row.title,
    description: row.description,
    fields: parseJson<FormField[]>(row.fields, []),
    consents: (refs[index] ?? []).flatMap((ref): FormConsent[] => {
      const text = texts.get(ref.textId)
      return text
        ? [
            {
              purpose: ref.purpose,
              textId: text.id,
              version: text.version,
              sha256: text.sha256,
              text: text.text,
              required: ref.required,
            },
          ]
        : []
    }),
    asset:
      row.asset_url && row.asset_name ? { url: row.asset_url, filename: row.asset_name } : null,
    popup: parseJson<Popup | null>(row.popup, null),
    submitLabel: row.submit_label,
    updatedAt: row.updated_at,
  }))
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
    title: string
    description: string | null
    fields: FormField[]
    consents: FormConsentRef[]
    asset: { url: string; filename: string } | null
    popup: Popup | null
    submitLabel: string | null
    now: string
  },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO forms (site_key, form_id, kind, title, description, fields, consents, asset_url, asset_name, popup, submit_label, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
       ON CONFLICT (site_key, form_id) DO UPDATE SET
         kind = excluded.kind, title = excluded.title, description = excluded.description,
         fields = excluded.fields, consents = excluded.consents, asset_url = excluded.asset_url,
         asset_name = excluded.asset_name, popup = excluded.popup, submit_label = excluded.submit_label,
         updated_at = excluded.updated_at`,
    )
    .bind(
      form.siteKey,
      form.formId,
      form.kind,
      form.title,
      form.description,
      JSON.stringify(form.fields),
      JSON.stringify(form.consents),
      form.asset?.url ?? null,
      form.asset?.filename ?? null,
      form.popup ? JSON.stringify(form.popup) : null,
      form.submitLabel,
      form.now,
    )
    .run()
}
