import { FORM_KINDS, type FormKind } from '../../../../shared/vocabulary'

/** What a form submission scores as, if anything. */
type FormScore = 'content' | 'newsletter' | 'webinar' | 'intentForm' | null

/**
 * A table with one entry per form kind. Its literal values stay in the type;
 * a missing kind is the one compile error, and the table then types as the
 * plain record, so no error follows on lines that read it.
 */
const perKind = <const T extends Record<FormKind, FormScore>>(table: T): T => table

/**
 * What a submission of each kind earns: content (a download or content
 * form), a newsletter signup, a webinar registration, an intent form (buying
 * intent), or nothing (a survey). The one per-kind decision of
 * qualification: a new kind fails to compile here until it has one.
 */
export const FORM_KIND_SCORES = perKind({
  whitepaper: 'content',
  ebook: 'content',
  checklist: 'content',
  newsletter: 'newsletter',
  webinar: 'webinar',
  demo_request: 'intentForm',
  quote_request: 'intentForm',
  contact_sales: 'intentForm',
  survey: null,
})

type KindsScoring<Score> = {
  [K in FormKind]: (typeof FORM_KIND_SCORES)[K] extends Score ? K : never
}[FormKind]
/** Kinds that show buying intent (rule `b2b.sql`: docs/stages-and-scoring.md#default-rules). */
export type IntentFormKind = KindsScoring<'intentForm'>
/** Kinds that hand out content (docs/stages-and-scoring.md#engagement-score). */
export type ContentFormKind = KindsScoring<'content'>

const kindsScoring = <K extends FormKind>(score: FormScore) =>
  FORM_KINDS.filter((kind) => FORM_KIND_SCORES[kind] === score) as K[]

/** Forms that show buying intent: `demo_request`, `quote_request`, `contact_sales`. */
export const INTENT_FORM_KINDS: readonly IntentFormKind[] =
  kindsScoring<IntentFormKind>('intentForm')
/** Forms that hand out content: `whitepaper`, `ebook`, `checklist`. */
export const CONTENT_FORM_KINDS: readonly ContentFormKind[] =
  kindsScoring<ContentFormKind>('content')
