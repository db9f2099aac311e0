import type { DeliveryStatus, OutboundEvent } from '../../../shared/vocabulary'
import { ApiError } from '../api'
import { defineTexts, type Lang } from '../i18n'

/**
 * Words the integrations screens share (docs/app.md#integrations): each event and delivery status
 * in plain words, an endpoint's state, and the API's reasons for refusing a target URL.
 */
export const EVENT_WORDS = defineTexts({
  'lead.created': { de: 'Neuer Lead', en: 'Lead created' },
  'lead.updated': { de: 'Lead geändert', en: 'Lead updated' },
  'lead.stage_changed': { de: 'Phase gewechselt', en: 'Stage changed' },
  'lead.erased': { de: 'Lead gelöscht', en: 'Lead erased' },
  'consent.changed': { de: 'Einwilligung geändert', en: 'Consent changed' },
  'spam.held': { de: 'Spam zurückgehalten', en: 'Spam held' },
} satisfies Record<OutboundEvent, unknown>)

export const EVENT_MEANS = defineTexts({
  'lead.created': {
    de: 'Jemand hat zum ersten Mal mit dieser E-Mail-Adresse ein Formular gesendet.',
    en: 'Someone sent a form with this email address for the first time.',
  },
  'lead.updated': {
    de: 'Ein bekannter Lead hat erneut ein Formular gesendet oder seine Angaben haben sich geändert.',
    en: 'A known lead sent a form again, or their details changed.',
  },
  'lead.stage_changed': {
    de: 'Ein Lead ist in eine andere Phase gewechselt (MQL, SQL, Kunde …), durch die Regeln oder von Hand.',
    en: 'A lead moved to another stage (MQL, SQL, customer …), by the rules or by hand.',
  },
  'lead.erased': {
    de: 'Ein Lead wurde auf Wunsch gelöscht; das Ereignis nennt nur seine Kennung. Löschen Sie ihn auch bei sich.',
    en: 'A lead was erased on request; the event names only its id. Erase it on your side too.',
  },
  'consent.changed': {
    de: 'Ein Lead hat eine Einwilligung gegeben oder widerrufen.',
    en: 'A lead gave or withdrew a consent.',
  },
  'spam.held': {
    de: 'Eine Eingabe wurde als mutmaßlicher Spam zurückgehalten.',
    en: 'A submission was held back as suspected spam.',
  },
} satisfies Record<OutboundEvent, unknown>)

export const STATUS_WORDS = defineTexts({
  pending: { de: 'Wartet', en: 'Waiting' },
  retrying: { de: 'Fehlgeschlagen, wird wiederholt', en: 'Failing, will retry' },
  succeeded: { de: 'Zugestellt', en: 'Delivered' },
  skipped: { de: 'Übersprungen', en: 'Skipped' },
  failed: { de: 'Fehlgeschlagen', en: 'Failed' },
  dead: { de: 'Aufgegeben', en: 'Given up' },
})

/** A delivery's state: `pending` after a failed attempt is a retry waiting, said so. */
export type ShownStatus = DeliveryStatus | 'retrying'
export const shownStatus = (status: DeliveryStatus, attempts: number): ShownStatus =>
  status === 'pending' && attempts > 0 ? 'retrying' : status

/** A sign beside the word, so the state is not told by colour alone. */
export const STATUS_SIGN: Record<ShownStatus, string> = {
  pending: '…',
  retrying: '↻',
  succeeded: '✓',
  skipped: '–',
  failed: '✕',
  dead: '✕',
}

export const STATE_WORDS = defineTexts({
  on: { de: 'Eingeschaltet', en: 'On' },
  off: { de: 'Ausgeschaltet', en: 'Off' },
  offGone: {
    de: 'Ausgeschaltet: der Empfänger hat mit 410 Gone geantwortet',
    en: 'Switched off: the receiver answered 410 Gone',
  },
  offFailing: {
    de: (since: string) => `Ausgeschaltet: jeder Versuch ist fehlgeschlagen, seit ${since}`,
    en: (since: string) => `Switched off: every attempt failed since ${since}`,
  },
  failingSince: {
    de: (since: string) => `Eingeschaltet, schlägt fehl seit ${since}`,
    en: (since: string) => `On, failing since ${since}`,
  },
  switchOnAgain: { de: 'Wieder einschalten', en: 'Switch on again' },
  switchOn: { de: 'Einschalten', en: 'Switch on' },
  switchOff: { de: 'Ausschalten', en: 'Switch off' },
})

export type StateTone = 'good' | 'warn' | 'bad' | 'off'

/** An endpoint's state in words, and its tone for the badge beside the words. */
export function stateOf(
  endpoint: {
    enabled: boolean
    disabledReason: 'gone' | 'failing' | null
    failingSince: string | null
  },
  words: { [K in keyof typeof STATE_WORDS]: (typeof STATE_WORDS)[K]['en'] },
  dateTime: (value: string) => string,
): { text: string; tone: StateTone } {
  if (!endpoint.enabled) {
    if (endpoint.disabledReason === 'gone') return { text: words.offGone, tone: 'bad' }
    if (endpoint.disabledReason === 'failing')
      return {
        text: words.offFailing(endpoint.failingSince ? dateTime(endpoint.failingSince) : '–'),
        tone: 'bad',
      }
    return { text: words.off, tone: 'off' }
  }
  if (endpoint.failingSince)
    return { text: words.failingSince(dateTime(endpoint.failingSince)), tone: 'warn' }
  return { text: words.on, tone: 'good' }
}

/** The API's reasons for a refused URL (worker/src/domain/target-url.ts, shared/common.ts). */
const URL_REASONS: Record<string, { de: string; en: string }> = {
  'is not a URL': {
    de: 'Das ist keine Adresse; bitte eine vollständige URL wie https://… angeben.',
    en: 'That is not an address; please enter a full URL such as https://….',
  },
  'must be an http or https URL': {
    de: 'Die Adresse muss mit https:// beginnen.',
    en: 'The address must start with https://.',
  },
  'must be an https URL': {
    de: 'Die Adresse muss mit https:// beginnen.',
    en: 'The address must start with https://.',
  },
  'must use port 443': {
    de: 'Die Adresse darf keinen anderen Port als 443 haben.',
    en: 'The address must not name a port other than 443.',
  },
  'must not point to a private or loopback address': {
    de: 'Die Adresse zeigt auf ein privates Netz oder diesen Rechner; Lodestone ruft nur öffentliche Adressen auf.',
    en: 'The address points to a private network or this machine; Lodestone only calls public addresses.',
  },
  'must not point to a local name': {
    de: 'Die Adresse hat einen lokalen Namen; Lodestone ruft nur öffentliche Adressen auf.',
    en: 'The address has a local name; Lodestone only calls public addresses.',
  },
  'must not carry credentials': {
    de: 'Die Adresse darf keinen Benutzernamen und kein Passwort enthalten.',
    en: 'The address must not contain a user name or password.',
  },
  // Slack alerts only (worker/src/routes/admin/integrations.ts).
  'must start with https://hooks.slack.com/': {
    de: 'Die Adresse muss ein Slack-„Incoming Webhook“ sein, beginnend mit https://hooks.slack.com/.',
    en: 'The address must be a Slack incoming webhook, starting with https://hooks.slack.com/.',
  },
}

/**
 * Why an alert or CRM delivery was skipped (worker/src/services/outbound/alerts.ts, crm.ts), in
 * the reader's words; any other attempt error is shown as the collector wrote it.
 */
const SKIP_REASONS: Record<string, { de: string; en: string }> = {
  'the lead did not become sales-ready': {
    de: 'Der Lead ist nicht vertriebsreif (SQL) geworden.',
    en: 'The lead did not become sales-ready (SQL).',
  },
  'the lead did not turn hot': {
    de: 'Der Lead ist nicht heiß geworden.',
    en: 'The lead did not become hot.',
  },
  'already alerted for this lead (sql)': {
    de: 'Zu diesem Lead ging schon ein Hinweis (SQL).',
    en: 'Sales were alerted about this lead already (SQL).',
  },
  'already alerted for this lead (hot)': {
    de: 'Zu diesem Lead ging schon ein Hinweis (heiß).',
    en: 'Sales were alerted about this lead already (hot).',
  },
  'the lead has no email': {
    de: 'Der Lead hat keine E-Mail-Adresse.',
    en: 'The lead has no email address.',
  },
  'a newer event of this lead was pushed already': {
    de: 'Ein neueres Ereignis dieses Leads ist schon übertragen.',
    en: 'A newer event of this lead was pushed already.',
  },
}

export const attemptError = (error: string, lang: Lang): string =>
  SKIP_REASONS[error]?.[lang] ?? error

/**
 * The API's field errors by their first path segment (`url`, `events`, `token`…), in the reader's
 * words where the app knows the reason, else the API's own message.
 */
export function fieldErrors(error: unknown, lang: Lang): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(error instanceof ApiError)) return out
  for (const { path, message } of error.problem.errors ?? []) {
    const key = path.split('.')[0] || '_'
    out[key] ??= URL_REASONS[message]?.[lang] ?? message
  }
  return out
}
