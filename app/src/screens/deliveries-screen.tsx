import { useLocation } from 'preact-iso'
import { useEffect, useState } from 'preact/hooks'
import type { Delivery } from '../../../shared/outbound'
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/vocabulary'
import { api } from '../api'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { paths } from '../paths'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import { StateBadge } from './integrations-badge'
import {
  attemptError,
  EVENT_WORDS,
  shownStatus,
  STATUS_SIGN,
  STATUS_WORDS,
  type ShownStatus,
  type StateTone,
} from './integrations-words'
import { NotFound } from './not-found'
import './integrations.css'

type Page = { deliveries: Delivery[]; next: string | null }

const TEXTS = defineTexts({
  back: { de: 'Zurück zu den Integrationen', en: 'Back to the integrations' },
  titleWebhook: {
    de: (id: string) => `Zustellungen von Webhook ${id}`,
    en: (id: string) => `Deliveries of webhook ${id}`,
  },
  titleKind: {
    de: (name: string) => `Zustellungen an ${name}`,
    en: (name: string) => `Deliveries to ${name}`,
  },
  intro: {
    de: 'Die neuesten zuerst, jede mit all ihren Versuchen. Eine fehlgeschlagene Zustellung wiederholt Lodestone selbst mit wachsendem Abstand; „Jetzt erneut senden“ schickt sie sofort noch einmal, mit derselben webhook-id.',
    en: 'Newest first, each with all its attempts. Lodestone retries a failed delivery by itself, waiting longer each time; “Send again now” sends it at once, with the same webhook-id.',
  },
  introKind: {
    de: 'Die neuesten zuerst, jede mit all ihren Versuchen. Eine Zustellung, die nichts zu tun hatte (kein Hinweis fällig, keine E-Mail-Adresse), ist „Übersprungen“, mit dem Grund. Eine fehlgeschlagene wiederholt Lodestone selbst mit wachsendem Abstand; „Jetzt erneut senden“ schickt sie sofort noch einmal. Ein Hinweis geht je Lead und Anlass höchstens einmal hinaus.',
    en: 'Newest first, each with all its attempts. A delivery that had nothing to do (no alert due, no email address) is “Skipped”, with the reason. Lodestone retries a failed one by itself, waiting longer each time; “Send again now” sends it at once. An alert goes out at most once per lead and trigger.',
  },
  eventIdKind: { de: 'Ereignis-ID', en: 'Event id' },
  status: { de: 'Zustand', en: 'Status' },
  all: { de: 'Alle', en: 'All' },
  filter: { de: 'Filtern', en: 'Filter' },
  refresh: { de: 'Aktualisieren', en: 'Refresh' },
  none: { de: 'Keine Zustellungen.', en: 'No deliveries.' },
  event: { de: 'Ereignis', en: 'Event' },
  eventId: { de: 'webhook-id', en: 'webhook-id' },
  lead: { de: 'Lead', en: 'Lead' },
  openLead: { de: 'Lead öffnen', en: 'Open the lead' },
  nextAttempt: { de: 'Nächster Versuch', en: 'Next attempt' },
  attempts: { de: 'Versuche', en: 'Attempts' },
  attemptsOf: {
    de: (eventId: string) => `Versuche von ${eventId}`,
    en: (eventId: string) => `Attempts of ${eventId}`,
  },
  noAttempt: { de: 'Noch kein Versuch.', en: 'No attempt yet.' },
  number: { de: 'Nr.', en: 'No.' },
  at: { de: 'Zeitpunkt', en: 'Time' },
  duration: { de: 'Dauer', en: 'Duration' },
  code: { de: 'Statuscode', en: 'Status code' },
  error: { de: 'Fehler', en: 'Error' },
  ms: { de: (ms: string) => `${ms} ms`, en: (ms: string) => `${ms} ms` },
  noAnswer: { de: 'keine Antwort', en: 'no answer' },
  retry: { de: 'Jetzt erneut senden', en: 'Send again now' },
  retried: {
    de: 'Die Zustellung ist wieder in der Warteschlange.',
    en: 'The delivery is queued again.',
  },
  more: { de: 'Ältere laden', en: 'Load older' },
})

const KIND_NAMES: Record<string, string> = {
  slack: 'Slack',
  email: 'E-Mail',
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
}
const KIND_NAMES_EN: Record<string, string> = { ...KIND_NAMES, email: 'Email' }

const TONE: Record<ShownStatus, StateTone> = {
  pending: 'off',
  retrying: 'warn',
  succeeded: 'good',
  skipped: 'off',
  failed: 'bad',
  dead: 'bad',
}

const isStatus = (value: unknown): value is DeliveryStatus =>
  typeof value === 'string' && (DELIVERY_STATUSES as readonly string[]).includes(value)

/**
 * `/app/<siteKey>/integrations/webhooks/<webhookId>` and `/app/<siteKey>/integrations/<kind>`
 * (site:admin): the deliveries of a webhook, a sales alert or a CRM, newest first, each attempt
 * with its time, duration, status code and error; `?status=` filters.
 */
export function DeliveriesScreen({
  siteKey,
  webhookId,
  kind,
}: {
  siteKey: string
  webhookId?: string
  kind?: string
}) {
  const t = useTexts(TEXTS)
  const words = useTexts(STATUS_WORDS)
  const lang = useLang()
  const location = useLocation()
  const status = isStatus(location.query.status) ? location.query.status : undefined
  const site = `/v1/admin/sites/${encodeURIComponent(siteKey)}`
  const base = webhookId
    ? `${site}/webhooks/${encodeURIComponent(webhookId)}`
    : `${site}/integrations/${encodeURIComponent(kind ?? '')}`
  const here = webhookId
    ? paths.webhookDeliveries(siteKey, webhookId)
    : paths.integrationDeliveries(siteKey, kind ?? '')
  const key = `${base}|${status ?? ''}`
  const [more, setMore] = useState<{ key: string; deliveries: Delivery[]; next: string | null }>()
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [first, reload] = useLoad(
    (signal) => api<Page>(`${base}/deliveries`, { query: { status, limit: 20 }, signal }),
    [base, status],
  )

  // While a delivery on the first page is still under way, look again every few seconds (only
  // while the tab is visible).
  const waiting =
    first.state === 'done' && first.value.deliveries.some((one) => one.status === 'pending')
  useEffect(() => {
    if (!waiting) return
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload()
    }, 3000)
    return () => clearInterval(timer)
  }, [waiting, first])

  if (!webhookId && !(kind && kind in KIND_NAMES)) return <NotFound />

  const loadMore = async (before: string, shown: Delivery[]) => {
    setError(null)
    try {
      const page = await api<Page>(`${base}/deliveries`, { query: { status, limit: 20, before } })
      setMore({ key, deliveries: [...shown, ...page.deliveries], next: page.next })
    } catch (caught) {
      setError(caught)
    }
  }
  const retry = async (delivery: Delivery) => {
    setBusy(delivery.deliveryId)
    setError(null)
    setNotice('')
    try {
      await api(`${base}/deliveries/${encodeURIComponent(delivery.deliveryId)}/retry`, {
        method: 'POST',
      })
      setNotice(t.retried)
      setMore(undefined)
      reload()
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(null)
    }
  }

  const title = webhookId
    ? t.titleWebhook(webhookId)
    : t.titleKind((lang === 'de' ? KIND_NAMES : KIND_NAMES_EN)[kind!]!)

  return (
    <div class="integrations deliveries">
      <p>
        <a href={paths.integrations(siteKey)}>{t.back}</a>
      </p>
      <PageTitle title={title}>{title}</PageTitle>
      <p class="hint">{webhookId ? t.intro : t.introKind}</p>
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault()
          const value = new FormData(event.currentTarget).get('status')
          location.route(isStatus(value) ? `${here}?status=${value}` : here)
        }}
      >
        <label>
          {t.status}
          <select name="status" value={status ?? ''} key={status ?? ''}>
            <option value="">{t.all}</option>
            {DELIVERY_STATUSES.map((code) => (
              <option key={code} value={code}>
                {words[code]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          {t.filter}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setMore(undefined)
            reload()
          }}
        >
          {t.refresh}
        </button>
      </form>
      <p role="status" class="int-notice">
        {notice}
      </p>
      {error !== null && <ErrorNote error={error} />}
      <Loaded value={first} onRetry={reload}>
        {(page) => {
          const extra = more?.key === key ? more : undefined
          const deliveries = [...page.deliveries, ...(extra?.deliveries ?? [])]
          const next = extra ? extra.next : page.next
          if (!deliveries.length) return <p>{t.none}</p>
          return (
            <>
              <ul class="int-list">
                {deliveries.map((delivery) => (
                  <li key={delivery.deliveryId}>
                    <DeliveryCard
                      siteKey={siteKey}
                      webhook={!!webhookId}
                      delivery={delivery}
                      busy={busy === delivery.deliveryId}
                      onRetry={() => void retry(delivery)}
                    />
                  </li>
                ))}
              </ul>
              {next && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => void loadMore(next, extra?.deliveries ?? [])}
                >
                  {t.more}
                </button>
              )}
            </>
          )
        }}
      </Loaded>
    </div>
  )
}

function DeliveryCard({
  siteKey,
  webhook,
  delivery,
  busy,
  onRetry,
}: {
  siteKey: string
  /** A webhook's delivery (its event id is the `webhook-id` header), else an integration's. */
  webhook: boolean
  delivery: Delivery
  busy: boolean
  onRetry: () => void
}) {
  const t = useTexts(TEXTS)
  const words = useTexts(STATUS_WORDS)
  const e = useTexts(EVENT_WORDS)
  const f = useFormats()
  const lang = useLang()
  // Attempts to the second: retries can follow each other within a minute.
  const seconds = new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium', timeStyle: 'medium' })
  const shown = shownStatus(delivery.status, delivery.attempts.length)
  const headingId = `dlv-${delivery.deliveryId}`
  const heading = `${e[delivery.type]}, ${seconds.format(new Date(delivery.createdAt))}`
  const retryable = shown === 'failed' || shown === 'dead' || shown === 'retrying'
  return (
    <article class="card int-delivery" aria-labelledby={headingId} data-status={shown}>
      <div class="int-delivery-head">
        <h2 id={headingId}>{heading}</h2>
        <StateBadge text={words[shown]} tone={TONE[shown]} sign={STATUS_SIGN[shown]} />
      </div>
      <dl class="int-facts">
        <dt>{t.event}</dt>
        <dd>
          <code>{delivery.type}</code>
        </dd>
        <dt>{webhook ? t.eventId : t.eventIdKind}</dt>
        <dd>
          <code>{delivery.eventId}</code>
        </dd>
        {delivery.leadId && (
          <>
            <dt>{t.lead}</dt>
            <dd>
              <a href={paths.lead(siteKey, delivery.leadId)}>{t.openLead}</a>
            </dd>
          </>
        )}
        {delivery.nextAttemptAt && (
          <>
            <dt>{t.nextAttempt}</dt>
            <dd>{f.dateTime(delivery.nextAttemptAt)}</dd>
          </>
        )}
      </dl>
      {delivery.attempts.length ? (
        <div
          class="table-wrap"
          role="region"
          aria-label={t.attemptsOf(delivery.eventId)}
          tabIndex={0}
        >
          <table>
            <caption>{t.attempts}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t.number}
                </th>
                <th scope="col">{t.at}</th>
                <th scope="col" class="num">
                  {t.duration}
                </th>
                <th scope="col" class="num">
                  {t.code}
                </th>
                <th scope="col">{t.error}</th>
              </tr>
            </thead>
            <tbody>
              {delivery.attempts.map((attempt, index) => (
                <tr key={index}>
                  <td class="num">{index + 1}</td>
                  <td>{seconds.format(new Date(attempt.attemptedAt))}</td>
                  <td class="num">{t.ms(f.integer(attempt.durationMs))}</td>
                  <td class="num">{attempt.statusCode ?? t.noAnswer}</td>
                  <td class="int-error">
                    {attempt.error ? attemptError(attempt.error, lang) : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="hint">{t.noAttempt}</p>
      )}
      {retryable && (
        <div class="buttons">
          <button
            type="button"
            disabled={busy}
            aria-busy={busy}
            aria-describedby={headingId}
            onClick={onRetry}
          >
            {t.retry}
          </button>
        </div>
      )}
    </article>
  )
}
