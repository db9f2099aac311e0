import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import type { SpamList, SpamReleased } from '../../../shared/spam'
import { SPAM_REASONS, type SpamReason } from '../../../shared/vocabulary'
import { api } from '../api'
import { Dialog } from '../components/dialog'
import { defineTexts, useFormats, useTexts } from '../i18n'
import { paths } from '../paths'
import { useCan } from '../session'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import './spam.css'

type SpamItem = SpamList['items'][number]

const TEXTS = defineTexts({
  title: { de: 'Spam', en: 'Spam' },
  intro: {
    de: 'Eingaben, die als mutmaßlicher Spam zurückgehalten wurden. Sie werden nach 30 Tagen gelöscht. Ist eine davon echt, machen Sie sie mit „Kein Spam“ zum Lead, mit den Einwilligungen, wie sie damals gegeben wurden.',
    en: 'Submissions held back as suspected spam. They are deleted after 30 days. If one is real, “Not spam” makes it a lead, with its consents as they were given then.',
  },
  reason: { de: 'Grund', en: 'Reason' },
  allReasons: { de: 'Alle Gründe', en: 'All reasons' },
  filter: { de: 'Filtern', en: 'Filter' },
  form: { de: 'Formular', en: 'Form' },
  email: { de: 'E-Mail', en: 'Email' },
  domain: { de: 'E-Mail-Domain', en: 'Email domain' },
  received: { de: 'Eingegangen', en: 'Received' },
  fields: { de: 'Felder', en: 'Fields' },
  onlyNames: {
    de: 'Nur die Feldnamen wurden aufbewahrt (vor dem Spam-Ordner zurückgehalten); diese Eingabe kann kein Lead mehr werden.',
    en: 'Only the field names were kept (held before the spam folder existed); this submission cannot become a lead.',
  },
  notSpam: { de: 'Kein Spam', en: 'Not spam' },
  delete: { de: 'Löschen', en: 'Delete' },
  deleteTitle: { de: 'Eingabe löschen?', en: 'Delete this submission?' },
  deleteBody: {
    de: 'Die zurückgehaltene Eingabe wird sofort und endgültig gelöscht.',
    en: 'The held submission is deleted at once and for good.',
  },
  cancel: { de: 'Abbrechen', en: 'Cancel' },
  deleted: { de: 'Die Eingabe wurde gelöscht.', en: 'The submission was deleted.' },
  released: { de: 'Die Eingabe ist jetzt ein Lead:', en: 'The submission is now a lead:' },
  openLead: { de: 'Lead öffnen', en: 'Open the lead' },
  more: { de: 'Mehr laden', en: 'Load more' },
  none: { de: 'Kein zurückgehaltener Spam.', en: 'No held spam.' },
  heldAs: {
    de: (reason: string, when: string) => `${reason}, ${when}`,
    en: (reason: string, when: string) => `${reason}, ${when}`,
  },
})

/** Each reason in words, and what it means (docs/spam-and-abuse.md). */
const REASONS = defineTexts({
  honeypot: { de: 'Honeypot', en: 'Honeypot' },
  honeypotWhy: {
    de: 'Ein verstecktes Feld war ausgefüllt: Menschen sehen es nicht, Bots füllen es aus.',
    en: 'A hidden field was filled in: people never see it, bots fill it.',
  },
  too_fast: { de: 'Zu schnell', en: 'Too fast' },
  too_fastWhy: {
    de: 'Das Formular wurde schneller abgeschickt, als ein Mensch es ausfüllen kann.',
    en: 'The form was sent faster than a person can fill it in.',
  },
  token_reused: { de: 'Formular-Token wiederverwendet', en: 'Form token reused' },
  token_reusedWhy: {
    de: 'Der Start-Token des Formulars war schon für eine andere Eingabe verwendet worden: so senden Skripte, nicht Browser.',
    en: "The form's start token had already been used for another submission: scripts send like that, browsers do not.",
  },
  turnstile: { de: 'Sicherheitsprüfung', en: 'Security check' },
  turnstileWhy: {
    de: 'Die Sicherheitsprüfung (Cloudflare Turnstile) ist fehlgeschlagen.',
    en: 'The security check (Cloudflare Turnstile) did not pass.',
  },
  rate: { de: 'Zu viele Eingaben', en: 'Too many submissions' },
  rateWhy: {
    de: 'Aus demselben Netz kamen in kurzer Zeit zu viele Eingaben.',
    en: 'Too many submissions came from the same network in a short time.',
  },
  disposable: { de: 'Wegwerfadresse', en: 'Disposable address' },
  disposableWhy: {
    de: 'Die E-Mail-Adresse ist von einem Anbieter für Wegwerfadressen.',
    en: 'The email address is from a disposable-address provider.',
  },
})

const isReason = (value: unknown): value is SpamReason =>
  typeof value === 'string' && (SPAM_REASONS as readonly string[]).includes(value)

/** `/app/<siteKey>/spam`: the held submissions, newest first, filtered by reason from the URL. */
export function Spam({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const r = useTexts(REASONS)
  const location = useLocation()
  const can = useCan(siteKey)
  const mayWrite = can('leads:write')
  const reason = isReason(location.query.reason) ? location.query.reason : undefined
  const base = `/v1/admin/sites/${encodeURIComponent(siteKey)}/spam`
  // Pages loaded with "Load more", after the first; a new filter starts again.
  const [more, setMore] = useState<{ key: string; items: SpamItem[]; next: string | null }>()
  const [gone, setGone] = useState<number[]>([])
  const [notice, setNotice] = useState<{ text: string; leadId?: string } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState<number | null>(null)
  const [confirm, setConfirm] = useState<SpamItem | null>(null)
  const key = `${siteKey}|${reason ?? ''}`
  const [first, reload] = useLoad(
    (signal) => api<SpamList>(base, { query: { reason, limit: 20 }, signal }),
    [base, reason],
  )

  const loadMore = async (cursor: string, before: SpamItem[]) => {
    setError(null)
    try {
      const page = await api<SpamList>(base, { query: { reason, limit: 20, cursor } })
      setMore({ key, items: [...before, ...page.items], next: page.nextCursor })
    } catch (caught) {
      setError(caught)
    }
  }

  const release = async (item: SpamItem) => {
    setBusy(item.id)
    setError(null)
    try {
      const answer = await api<SpamReleased>(`${base}/${item.id}/release`, { method: 'POST' })
      setGone((ids) => [...ids, item.id])
      setNotice({ text: t.released, leadId: answer.leadId })
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(null)
    }
  }

  const remove = async (item: SpamItem) => {
    setError(null)
    try {
      await api(`${base}/${item.id}`, { method: 'DELETE' })
      setGone((ids) => [...ids, item.id])
      setNotice({ text: t.deleted })
      setConfirm(null)
    } catch (caught) {
      setError(caught)
    }
  }

  return (
    <div class="spam">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <p class="hint">{t.intro}</p>
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault()
          const value = new FormData(event.currentTarget).get('reason')
          location.route(
            isReason(value) ? `${paths.spam(siteKey)}?reason=${value}` : paths.spam(siteKey),
          )
        }}
      >
        <label>
          {t.reason}
          <select name="reason" value={reason ?? ''} key={reason ?? ''}>
            <option value="">{t.allReasons}</option>
            {SPAM_REASONS.map((code) => (
              <option key={code} value={code}>
                {r[code]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          {t.filter}
        </button>
      </form>
      <div aria-live="polite">
        {notice && (
          <p class="notice">
            {notice.text}{' '}
            {notice.leadId && <a href={paths.lead(siteKey, notice.leadId)}>{t.openLead}</a>}
          </p>
        )}
      </div>
      {error !== null && !confirm && <ErrorNote error={error} />}
      <Loaded value={first} onRetry={reload}>
        {(page) => {
          const extra = more?.key === key ? more : undefined
          const items = [...page.items, ...(extra?.items ?? [])].filter(
            (item) => !gone.includes(item.id),
          )
          const next = extra ? extra.next : page.nextCursor
          if (!items.length && !next) return <p>{t.none}</p>
          return (
            <>
              <ul class="spam-list">
                {items.map((item) => (
                  <li key={item.id}>
                    <Held
                      item={item}
                      siteKey={siteKey}
                      mayWrite={mayWrite}
                      busy={busy === item.id}
                      onRelease={() => void release(item)}
                      onDelete={() => {
                        setError(null)
                        setConfirm(item)
                      }}
                    />
                  </li>
                ))}
              </ul>
              {next && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => void loadMore(next, extra?.items ?? [])}
                >
                  {t.more}
                </button>
              )}
            </>
          )
        }}
      </Loaded>
      <Dialog open={confirm !== null} title={t.deleteTitle} onClose={() => setConfirm(null)}>
        <p>{t.deleteBody}</p>
        {error !== null && <ErrorNote error={error} />}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setConfirm(null)}>
            {t.cancel}
          </button>
          <button type="button" class="danger" onClick={() => confirm && void remove(confirm)}>
            {t.delete}
          </button>
        </div>
      </Dialog>
    </div>
  )
}

function Held({
  item,
  siteKey,
  mayWrite,
  busy,
  onRelease,
  onDelete,
}: {
  item: SpamItem
  siteKey: string
  mayWrite: boolean
  busy: boolean
  onRelease: () => void
  onDelete: () => void
}) {
  const t = useTexts(TEXTS)
  const r = useTexts(REASONS)
  const f = useFormats()
  const headingId = `spam-${item.id}`
  const email = typeof item.values.email === 'string' ? item.values.email : null
  const others = Object.entries(item.values).filter(([name]) => name !== 'email')
  return (
    <article class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t.heldAs(r[item.reason], f.dateTime(item.createdAt))}</h2>
      <p class="why">{r[`${item.reason}Why`]}</p>
      <dl class="facts">
        <dt>{t.form}</dt>
        <dd>{item.formId ? <a href={paths.form(siteKey, item.formId)}>{item.formId}</a> : '–'}</dd>
        <dt>{email ? t.email : t.domain}</dt>
        <dd>{email ?? item.emailDomain ?? '–'}</dd>
        <dt>{t.received}</dt>
        <dd>
          <time dateTime={item.createdAt}>{f.dateTime(item.createdAt)}</time>
        </dd>
      </dl>
      {item.releasable ? (
        others.length > 0 && (
          <dl class="values" aria-label={t.fields}>
            {others.map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{typeof value === 'boolean' ? (value ? '✓' : '–') : value}</dd>
              </div>
            ))}
          </dl>
        )
      ) : (
        <p class="hint">
          {t.fields}: {item.fields.join(', ')}. {t.onlyNames}
        </p>
      )}
      {mayWrite && (
        <div class="buttons">
          {item.releasable && (
            <button
              type="button"
              disabled={busy}
              aria-busy={busy}
              aria-describedby={headingId}
              onClick={onRelease}
            >
              {t.notSpam}
            </button>
          )}
          <button type="button" class="secondary" aria-describedby={headingId} onClick={onDelete}>
            {t.delete}
          </button>
        </div>
      )}
    </article>
  )
}
