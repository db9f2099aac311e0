import { useEffect, useRef, useState } from 'preact/hooks'
import type { Webhook } from '../../../shared/outbound'
import { OUTBOUND_EVENTS, type OutboundEvent } from '../../../shared/vocabulary'
import { api } from '../api'
import { CopyBlock } from '../components/copy-block'
import { Dialog } from '../components/dialog'
import { useUnsavedWarning } from '../components/unsaved'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { paths } from '../paths'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import { AlertsAndCrm } from './integrations-alerts'
import { StateBadge } from './integrations-badge'
import { EVENT_MEANS, EVENT_WORDS, fieldErrors, STATE_WORDS, stateOf } from './integrations-words'
import './integrations.css'

/** A webhook as `PUT` and a rotation answer it: with its secret, that once. */
type WithSecret = Webhook & { secret?: string }

const TEXTS = defineTexts({
  title: { de: 'Integrationen', en: 'Integrations' },
  intro: {
    de: 'Wohin Lodestone die Ereignisse dieser Website sendet: an Ihre eigenen Systeme (Webhooks), als Hinweis an den Vertrieb und in Ihr CRM.',
    en: "Where Lodestone sends this site's events: to your own systems (webhooks), as alerts to sales, and into your CRM.",
  },
  webhooks: { de: 'Webhooks', en: 'Webhooks' },
  webhooksIntro: {
    de: 'Lodestone sendet jedes gewählte Ereignis als JSON per POST an Ihre Adresse, signiert nach Standard Webhooks, und wiederholt fehlgeschlagene Zustellungen über gut drei Tage.',
    en: 'Lodestone POSTs each chosen event as JSON to your address, signed as Standard Webhooks, and retries failed deliveries for a little over three days.',
  },
  none: { de: 'Noch keine Webhooks.', en: 'No webhooks yet.' },
  url: { de: 'Adresse (URL)', en: 'Address (URL)' },
  events: { de: 'Ereignisse', en: 'Events' },
  state: { de: 'Zustand', en: 'State' },
  created: { de: 'Angelegt', en: 'Created' },
  previousUntil: {
    de: (when: string) => `Das vorige Geheimnis signiert noch bis ${when} mit.`,
    en: (when: string) => `The previous secret also signs until ${when}.`,
  },
  deliveries: { de: 'Zustellungen', en: 'Deliveries' },
  edit: { de: 'Bearbeiten', en: 'Edit' },
  rotate: { de: 'Geheimnis erneuern', en: 'Rotate secret' },
  delete: { de: 'Löschen', en: 'Delete' },
  cancel: { de: 'Abbrechen', en: 'Cancel' },
  add: { de: 'Webhook hinzufügen', en: 'Add a webhook' },
  editing: {
    de: (id: string) => `Webhook ${id} bearbeiten`,
    en: (id: string) => `Edit webhook ${id}`,
  },
  id: { de: 'Kennung', en: 'Id' },
  idHint: {
    de: 'Kleinbuchstaben, Ziffern, Binde- und Unterstriche, z. B. crm-sync. Sie lässt sich später nicht ändern.',
    en: 'Lower-case letters, digits, dashes and underscores, e.g. crm-sync. It cannot change later.',
  },
  urlHint: {
    de: 'Eine öffentliche https-Adresse Ihres Systems, die POST-Anfragen annimmt.',
    en: 'A public https address of your system that accepts POST requests.',
  },
  eventsHint: {
    de: 'Mindestens eines. Jedes Ereignis kommt als eigene Zustellung an.',
    en: 'At least one. Each event arrives as a delivery of its own.',
  },
  enabled: { de: 'Eingeschaltet', en: 'Switched on' },
  enabledHint: {
    de: 'Ausgeschaltet sendet Lodestone nichts an diese Adresse.',
    en: 'Switched off, Lodestone sends nothing to this address.',
  },
  create: { de: 'Webhook anlegen', en: 'Create the webhook' },
  save: { de: 'Änderungen speichern', en: 'Save the changes' },
  saving: { de: 'Wird gespeichert …', en: 'Saving …' },
  badId: {
    de: 'Bitte eine Kennung aus Kleinbuchstaben, Ziffern, Binde- und Unterstrichen angeben (höchstens 64 Zeichen).',
    en: 'Please enter an id of lower-case letters, digits, dashes and underscores (at most 64 characters).',
  },
  takenId: {
    de: 'Einen Webhook mit dieser Kennung gibt es schon; wählen Sie eine andere oder bearbeiten Sie ihn.',
    en: 'A webhook with this id exists already; choose another id or edit that one.',
  },
  noUrl: { de: 'Bitte die Adresse angeben.', en: 'Please enter the address.' },
  noEvents: {
    de: 'Bitte mindestens ein Ereignis wählen.',
    en: 'Please choose at least one event.',
  },
  fix: {
    de: 'Bitte die markierten Angaben korrigieren.',
    en: 'Please correct the marked entries.',
  },
  saved: {
    de: (id: string) => `Webhook ${id} gespeichert.`,
    en: (id: string) => `Webhook ${id} saved.`,
  },
  deleted: {
    de: (id: string) => `Webhook ${id} gelöscht.`,
    en: (id: string) => `Webhook ${id} deleted.`,
  },
  switchedOn: {
    de: (id: string) => `Webhook ${id} ist eingeschaltet.`,
    en: (id: string) => `Webhook ${id} is switched on.`,
  },
  switchedOff: {
    de: (id: string) => `Webhook ${id} ist ausgeschaltet.`,
    en: (id: string) => `Webhook ${id} is switched off.`,
  },
  deleteTitle: { de: 'Webhook löschen?', en: 'Delete this webhook?' },
  deleteBody: {
    de: (id: string) =>
      `Webhook ${id} wird mit seinem Zustellprotokoll gelöscht; noch ausstehende Zustellungen entfallen.`,
    en: (id: string) =>
      `Webhook ${id} is deleted with its delivery log; deliveries still waiting are dropped.`,
  },
  rotateTitle: { de: 'Geheimnis erneuern?', en: 'Rotate the secret?' },
  rotateBody: {
    de: 'Lodestone erzeugt ein neues Signier-Geheimnis. Das bisherige signiert noch 24 Stunden mit, damit Ihr System ohne Lücke umstellen kann.',
    en: 'Lodestone makes a new signing secret. The current one keeps signing alongside it for 24 hours, so your system can switch without a gap.',
  },
  secretTitle: {
    de: (id: string) => `Signier-Geheimnis von ${id}`,
    en: (id: string) => `Signing secret of ${id}`,
  },
  secretOnce: {
    de: 'Nur jetzt sichtbar: Lodestone zeigt es nie wieder. Hinterlegen Sie es in Ihrem System, um die Signatur jeder Zustellung zu prüfen.',
    en: 'Shown only now: Lodestone will not show it again. Store it in your system to verify the signature of each delivery.',
  },
  secretLabel: { de: 'Das Geheimnis', en: 'The secret' },
  secretWhat: { de: 'das Geheimnis', en: 'the secret' },
  hide: { de: 'Ausblenden', en: 'Hide' },
})

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/

/** `/app/<siteKey>/integrations` (site:admin): webhooks, sales alerts and the CRM. */
export function IntegrationsScreen({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const base = `/v1/admin/sites/${encodeURIComponent(siteKey)}`
  const [list, reload] = useLoad(
    (signal) => api<{ webhooks: Webhook[] }>(`${base}/webhooks`, { signal }),
    [base],
  )
  return (
    <div class="integrations">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <p>{t.intro}</p>
      <section aria-labelledby="int-webhooks">
        <h2 id="int-webhooks">{t.webhooks}</h2>
        <p class="hint">{t.webhooksIntro}</p>
        <Loaded value={list} onRetry={reload}>
          {({ webhooks }) => (
            <Webhooks siteKey={siteKey} base={base} webhooks={webhooks} onChange={reload} />
          )}
        </Loaded>
      </section>
      <AlertsAndCrm siteKey={siteKey} base={base} />
    </div>
  )
}

function Webhooks({
  siteKey,
  base,
  webhooks,
  onChange,
}: {
  siteKey: string
  base: string
  webhooks: Webhook[]
  onChange: () => void
}) {
  const t = useTexts(TEXTS)
  const s = useTexts(STATE_WORDS)
  const e = useTexts(EVENT_WORDS)
  const f = useFormats()
  const [notice, setNotice] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [editing, setEditing] = useState<Webhook | null>(null)
  const [deleting, setDeleting] = useState<Webhook | null>(null)
  const [rotating, setRotating] = useState<Webhook | null>(null)
  // The secret lives only in this state: leaving the screen forgets it.
  const [secret, setSecret] = useState<WithSecret | null>(null)
  const secretHeading = useRef<HTMLHeadingElement>(null)
  const path = (id: string) => `${base}/webhooks/${encodeURIComponent(id)}`

  useEffect(() => {
    if (!secret) return
    // After the rotation's dialog has closed and given the focus back to its opener.
    const timer = setTimeout(() => secretHeading.current?.focus(), 50)
    return () => clearTimeout(timer)
  }, [secret])

  const toggle = async (hook: Webhook) => {
    setBusy(hook.webhookId)
    setError(null)
    setNotice('')
    try {
      await api(path(hook.webhookId), {
        method: 'PUT',
        body: { url: hook.url, events: hook.events, enabled: !hook.enabled },
      })
      setNotice(hook.enabled ? t.switchedOff(hook.webhookId) : t.switchedOn(hook.webhookId))
      onChange()
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(null)
    }
  }
  const remove = async (hook: Webhook) => {
    setError(null)
    try {
      await api(path(hook.webhookId), { method: 'DELETE' })
      setDeleting(null)
      if (editing?.webhookId === hook.webhookId) setEditing(null)
      if (secret?.webhookId === hook.webhookId) setSecret(null)
      setNotice(t.deleted(hook.webhookId))
      onChange()
    } catch (caught) {
      setError(caught)
    }
  }
  const rotate = async (hook: Webhook) => {
    setError(null)
    try {
      const answer = await api<WithSecret>(`${path(hook.webhookId)}/secret`, { method: 'POST' })
      setRotating(null)
      setSecret(answer)
      onChange()
    } catch (caught) {
      setError(caught)
    }
  }

  return (
    <>
      <p role="status" class="int-notice">
        {notice}
      </p>
      {error !== null && !deleting && !rotating && <ErrorNote error={error} />}
      {secret?.secret && (
        <div class="int-secret" role="region" aria-labelledby="int-secret-title">
          <h3 id="int-secret-title" tabIndex={-1} ref={secretHeading}>
            {t.secretTitle(secret.webhookId)}
          </h3>
          <p>
            <strong>{t.secretOnce}</strong>
          </p>
          {secret.previousSecretUntil && (
            <p>{t.previousUntil(f.dateTime(secret.previousSecretUntil))}</p>
          )}
          <CopyBlock code={secret.secret} what={t.secretWhat} label={t.secretLabel} />
          <button type="button" class="secondary" onClick={() => setSecret(null)}>
            {t.hide}
          </button>
        </div>
      )}
      {webhooks.length ? (
        <ul class="int-list">
          {webhooks.map((hook) => {
            const state = stateOf(hook, s, f.dateTime)
            const headingId = `int-hook-${hook.webhookId}`
            const off = !hook.enabled
            return (
              <li key={hook.webhookId}>
                <article class="card" aria-labelledby={headingId}>
                  <h3 id={headingId}>{hook.webhookId}</h3>
                  <dl class="int-facts">
                    <dt>{t.url}</dt>
                    <dd class="int-url">{hook.url}</dd>
                    <dt>{t.events}</dt>
                    <dd>
                      {hook.events.map((event) => (
                        <span key={event} class="int-event">
                          {e[event]} <code>{event}</code>
                        </span>
                      ))}
                    </dd>
                    <dt>{t.state}</dt>
                    <dd>
                      <StateBadge {...state} />
                    </dd>
                    <dt>{t.created}</dt>
                    <dd>{f.dateTime(hook.createdAt)}</dd>
                  </dl>
                  <div class="buttons">
                    <a
                      class="button secondary"
                      href={paths.webhookDeliveries(siteKey, hook.webhookId)}
                    >
                      {t.deliveries}
                      <span class="visually-hidden"> {hook.webhookId}</span>
                    </a>
                    <button
                      type="button"
                      class={off && hook.disabledReason ? '' : 'secondary'}
                      disabled={busy === hook.webhookId}
                      aria-busy={busy === hook.webhookId}
                      onClick={() => void toggle(hook)}
                    >
                      {off ? (hook.disabledReason ? s.switchOnAgain : s.switchOn) : s.switchOff}
                      <span class="visually-hidden"> {hook.webhookId}</span>
                    </button>
                    <button type="button" class="secondary" onClick={() => setEditing(hook)}>
                      {t.edit}
                      <span class="visually-hidden"> {hook.webhookId}</span>
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => {
                        setError(null)
                        setRotating(hook)
                      }}
                    >
                      {t.rotate}
                      <span class="visually-hidden"> {hook.webhookId}</span>
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => {
                        setError(null)
                        setDeleting(hook)
                      }}
                    >
                      {t.delete}
                      <span class="visually-hidden"> {hook.webhookId}</span>
                    </button>
                  </div>
                </article>
              </li>
            )
          })}
        </ul>
      ) : (
        <p>{t.none}</p>
      )}
      <WebhookForm
        key={editing?.webhookId ?? '_new'}
        base={base}
        editing={editing}
        taken={webhooks.map((hook) => hook.webhookId)}
        onCancel={() => setEditing(null)}
        onSaved={(hook) => {
          setEditing(null)
          setNotice(t.saved(hook.webhookId))
          if (hook.secret) setSecret(hook)
          onChange()
        }}
      />
      <Dialog open={deleting !== null} title={t.deleteTitle} onClose={() => setDeleting(null)}>
        <p>{t.deleteBody(deleting?.webhookId ?? '')}</p>
        {error !== null && <ErrorNote error={error} />}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setDeleting(null)}>
            {t.cancel}
          </button>
          <button type="button" class="danger" onClick={() => deleting && void remove(deleting)}>
            {t.delete}
          </button>
        </div>
      </Dialog>
      <Dialog open={rotating !== null} title={t.rotateTitle} onClose={() => setRotating(null)}>
        <p>{t.rotateBody}</p>
        {error !== null && <ErrorNote error={error} />}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setRotating(null)}>
            {t.cancel}
          </button>
          <button type="button" onClick={() => rotating && void rotate(rotating)}>
            {t.rotate}
          </button>
        </div>
      </Dialog>
    </>
  )
}

function WebhookForm({
  base,
  editing,
  taken,
  onCancel,
  onSaved,
}: {
  base: string
  editing: Webhook | null
  taken: string[]
  onCancel: () => void
  onSaved: (hook: WithSecret) => void
}) {
  const t = useTexts(TEXTS)
  const e = useTexts(EVENT_WORDS)
  const means = useTexts(EVENT_MEANS)
  const lang = useLang()
  const [id, setId] = useState(editing?.webhookId ?? '')
  const [url, setUrl] = useState(editing?.url ?? '')
  const [events, setEvents] = useState<OutboundEvent[]>(editing?.events ?? ['lead.created'])
  const [enabled, setEnabled] = useState(editing?.enabled ?? true)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [failure, setFailure] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const dirty = editing
    ? url !== editing.url ||
      enabled !== editing.enabled ||
      events.slice().sort().join() !== editing.events.slice().sort().join()
    : id !== '' || url !== ''
  useUnsavedWarning(dirty)

  useEffect(() => {
    if (editing) heading.current?.focus()
  }, [])

  const focusFirstError = (found: Record<string, string>) =>
    requestAnimationFrame(() => {
      const first = ['webhookId', 'url', 'events'].find((key) => found[key])
      form.current?.querySelector<HTMLElement>(`[data-path="${first}"]`)?.focus()
    })

  const submit = async (event: Event) => {
    event.preventDefault()
    setFailure(null)
    const found: Record<string, string> = {}
    const wantedId = editing ? editing.webhookId : id.trim()
    if (!editing && !ID.test(wantedId)) found.webhookId = t.badId
    else if (!editing && taken.includes(wantedId)) found.webhookId = t.takenId
    if (!url.trim()) found.url = t.noUrl
    if (!events.length) found.events = t.noEvents
    setErrors(found)
    if (Object.keys(found).length) return focusFirstError(found)
    setBusy(true)
    try {
      const answer = await api<WithSecret>(`${base}/webhooks/${encodeURIComponent(wantedId)}`, {
        method: 'PUT',
        body: { url: url.trim(), events, enabled },
      })
      onSaved(answer)
      if (!editing) {
        setId('')
        setUrl('')
        setEvents(['lead.created'])
        setEnabled(true)
      }
    } catch (caught) {
      const fromApi = fieldErrors(caught, lang)
      if (Object.keys(fromApi).length) {
        setErrors(fromApi)
        focusFirstError(fromApi)
        const shown = ['webhookId', 'url', 'events', 'enabled']
        if (Object.keys(fromApi).some((key) => !shown.includes(key))) setFailure(caught)
      } else setFailure(caught)
    } finally {
      setBusy(false)
    }
  }

  const described = (name: string, hint: boolean) =>
    [errors[name] ? `int-wh-${name}-error` : '', hint ? `int-wh-${name}-hint` : '']
      .filter(Boolean)
      .join(' ') || undefined
  const errorLine = (name: string) =>
    errors[name] ? (
      <p class="field-error" id={`int-wh-${name}-error`}>
        {errors[name]}
      </p>
    ) : null

  return (
    <form
      ref={form}
      class="int-form"
      aria-labelledby="int-wh-form"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="int-wh-form" tabIndex={-1} ref={heading}>
        {editing ? t.editing(editing.webhookId) : t.add}
      </h3>
      {!editing && (
        <div class="field">
          <label for="int-wh-id">{t.id}</label>
          <input
            id="int-wh-id"
            name="webhookId"
            data-path="webhookId"
            value={id}
            maxLength={64}
            autoComplete="off"
            spellcheck={false}
            aria-invalid={errors.webhookId ? true : undefined}
            aria-describedby={described('webhookId', true)}
            onInput={(event) => setId(event.currentTarget.value)}
          />
          {errorLine('webhookId')}
          <p class="hint" id="int-wh-webhookId-hint">
            {t.idHint}
          </p>
        </div>
      )}
      <div class="field">
        <label for="int-wh-url">{t.url}</label>
        <input
          id="int-wh-url"
          name="url"
          type="url"
          inputMode="url"
          data-path="url"
          value={url}
          maxLength={2048}
          autoComplete="off"
          spellcheck={false}
          placeholder="https://hooks.example.com/lodestone"
          aria-invalid={errors.url ? true : undefined}
          aria-describedby={described('url', true)}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
        {errorLine('url')}
        <p class="hint" id="int-wh-url-hint">
          {t.urlHint}
        </p>
      </div>
      <fieldset aria-describedby={described('events', true)}>
        <legend>{t.events}</legend>
        <p class="hint" id="int-wh-events-hint">
          {t.eventsHint}
        </p>
        {errorLine('events')}
        {OUTBOUND_EVENTS.map((code, index) => (
          <div class="choice" key={code}>
            <input
              type="checkbox"
              id={`int-wh-event-${code}`}
              name="events"
              value={code}
              data-path={index === 0 ? 'events' : undefined}
              checked={events.includes(code)}
              aria-invalid={errors.events ? true : undefined}
              aria-describedby={`int-wh-event-${code}-hint`}
              onChange={(change) =>
                setEvents(
                  change.currentTarget.checked
                    ? [...events, code]
                    : events.filter((other) => other !== code),
                )
              }
            />
            <label for={`int-wh-event-${code}`}>
              {e[code]} <code>{code}</code>
            </label>
            <p class="hint" id={`int-wh-event-${code}-hint`}>
              {means[code]}
            </p>
          </div>
        ))}
      </fieldset>
      <div class="field">
        <label class="inline" for="int-wh-enabled">
          <input
            id="int-wh-enabled"
            type="checkbox"
            checked={enabled}
            aria-describedby="int-wh-enabled-hint"
            onChange={(change) => setEnabled(change.currentTarget.checked)}
          />
          {t.enabled}
        </label>
        <p class="hint" id="int-wh-enabled-hint">
          {t.enabledHint}
        </p>
      </div>
      {Object.keys(errors).length > 0 && (
        <p class="field-error" role="alert">
          {t.fix}
        </p>
      )}
      {failure !== null && <ErrorNote error={failure} />}
      <div class="buttons">
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? t.saving : editing ? t.save : t.create}
        </button>
        {editing && (
          <button type="button" class="secondary" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
      </div>
    </form>
  )
}
