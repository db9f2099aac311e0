import { firstText, type Form } from '../../../shared/form'
import type { EventType } from '../../../shared/events'
import type { TouchCandidate } from '../domain/attribution'
import type { Touchpoint } from '../domain/qualify'

/** A stored touchpoint as the qualification engine reads it: form ids become form kinds and titles. */
export function toQualifyTouchpoint(
  row: {
    type: string
    occurred_at: string
    path: string
    form_id: string | null
    /** Seconds of engaged time, on an `engaged_time` row (docs/wire-contract.md#engaged-time). */
    value?: number | null
  },
  forms: ReadonlyMap<string, Pick<Form, 'kind' | 'title' | 'locales'>>,
): Touchpoint {
  const form = row.form_id ? forms.get(row.form_id) : undefined
  return {
    type: row.type as EventType,
    at: row.occurred_at,
    path: row.path,
    ...(row.form_id ? { formId: row.form_id } : {}),
    ...(form ? { formKind: form.kind, title: firstText(form, form.title) } : {}),
    ...(row.value != null ? { seconds: row.value } : {}),
  }
}

/** A stored touchpoint as attribution reads it: its campaign and when it happened. */
export function toTouchCandidate(row: {
  utm_source: string | null
  utm_medium: string | null
  utm_campaign: string | null
  occurred_at: string
}): TouchCandidate {
  return {
    source: row.utm_source,
    medium: row.utm_medium,
    campaign: row.utm_campaign,
    at: row.occurred_at,
  }
}
