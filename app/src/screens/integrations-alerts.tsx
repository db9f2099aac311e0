import { useRef, useState } from 'preact/hooks'
import type {
  AlertTrigger,
  Integration,
  IntegrationInput,
  IntegrationKind,
} from '../../../shared/integrations'
import { api, ApiError } from '../api'
import { Dialog } from '../components/dialog'
import { useUnsavedWarning } from '../components/unsaved'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { paths } from '../paths'
import { ErrorNote, Loading, type Loadable, useLoad } from '../ui'
import { StateBadge } from './integrations-badge'
import { fieldErrors, STATE_WORDS, stateOf } from './integrations-words'

/**
 * Sales alerts (Slack, email) and CRM push (HubSpot, Pipedrive) of a site
 * (docs/app.md#integrations), one of each kind, against `…/integrations` (shared/integrations.ts).
 * Credentials are write-only: the view says whether one is stored, never what it is.
 */
const TEXTS = defineTexts({
  alerts: { de: 'Hinweise an den Vertrieb', en: 'Sales alerts' },
  alertsIntro: {
    de: 'Eine Nachricht an den Vertrieb, sobald ein Lead vertriebsreif (SQL) oder heiß wird, mit Name, Firma, Score und einem Link zum Lead.',
    en: 'A message to sales as soon as a lead becomes sales-ready (SQL) or hot, with name, company, score and a link to the lead.',
  },
  crm: { de: 'CRM', en: 'CRM' },
  crmIntro: {
    de: 'Lodestone überträgt Leads in Ihr CRM, sobald sie entstehen oder sich ändern.',
    en: 'Lodestone pushes leads into your CRM as they are created or change.',
  },
  unavailable: {
    de: 'Dieser Collector bietet Hinweise an den Vertrieb und die CRM-Übertragung noch nicht an.',
    en: 'This collector does not offer sales alerts and CRM push yet.',
  },
  slack: { de: 'Slack', en: 'Slack' },
  email: { de: 'E-Mail', en: 'Email' },
  hubspot: { de: 'HubSpot', en: 'HubSpot' },
  pipedrive: { de: 'Pipedrive', en: 'Pipedrive' },
  slackHint: {
    de: 'Eine Nachricht in einen Slack-Kanal über einen „Incoming Webhook“ der Slack-App.',
    en: 'A message into a Slack channel through an incoming webhook of your Slack app.',
  },
  emailHint: {
    de: 'Eine Mail an die Adresse Ihres Vertriebsteams.',
    en: "A mail to your sales team's address.",
  },
  hubspotHint: {
    de: 'Kontakte werden per E-Mail-Adresse angelegt oder aktualisiert, mit der Lifecycle-Phase, die ihrer Lodestone-Phase entspricht.',
    en: 'Contacts are created or updated by email address, with the lifecycle stage that matches their Lodestone stage.',
  },
  pipedriveHint: {
    de: 'Jeder Lead wird als Person (per E-Mail-Adresse) und als Lead in Pipedrive angelegt oder aktualisiert.',
    en: 'Each lead is created or updated in Pipedrive as a person (by email address) and as a lead.',
  },
  notSetUp: { de: 'Nicht eingerichtet', en: 'Not set up' },
  slackUrl: { de: 'Slack-Webhook-Adresse', en: 'Slack webhook URL' },
  slackUrlStored: {
    de: (hint: string) => `Eine Adresse ist hinterlegt (${hint}). Leer lassen, um sie zu behalten.`,
    en: (hint: string) => `An address is stored (${hint}). Leave empty to keep it.`,
  },
  slackUrlNew: {
    de: 'Beginnt mit https://hooks.slack.com/services/…',
    en: 'Starts with https://hooks.slack.com/services/…',
  },
  to: { de: 'Adresse des Vertriebs', en: 'Sales address' },
  toHint: {
    de: 'Zum Beispiel vertrieb@firma.de.',
    en: 'For example sales@company.com.',
  },
  trigger: { de: 'Wann', en: 'When' },
  onSql: { de: 'wenn ein Lead SQL wird', en: 'when a lead becomes SQL' },
  onHot: { de: 'wenn ein Lead heiß wird', en: 'when a lead becomes hot' },
  hubspotToken: { de: 'Token der Private App', en: 'Private app token' },
  pipedriveToken: { de: 'API-Token', en: 'API token' },
  tokenStored: {
    de: 'Ein Token ist hinterlegt. Leer lassen, um es zu behalten, oder ein neues eingeben, um es zu ersetzen.',
    en: 'A token is stored. Leave empty to keep it, or enter a new one to replace it.',
  },
  hubspotTokenNew: {
    de: 'Aus HubSpot: Einstellungen › Integrationen › Private Apps, mit den Bereichen für Kontakte.',
    en: 'From HubSpot: Settings › Integrations › Private apps, with the contacts scopes.',
  },
  pipedriveTokenNew: {
    de: 'Aus Pipedrive: Persönliche Einstellungen › API.',
    en: 'From Pipedrive: Personal preferences › API.',
  },
  enabled: { de: 'Eingeschaltet', en: 'Switched on' },
  save: { de: 'Speichern', en: 'Save' },
  saving: { de: 'Wird gespeichert …', en: 'Saving …' },
  saved: { de: (name: string) => `${name} gespeichert.`, en: (name: string) => `${name} saved.` },
  remove: { de: 'Entfernen', en: 'Remove' },
  removed: {
    de: (name: string) => `${name} entfernt.`,
    en: (name: string) => `${name} removed.`,
  },
  removeTitle: {
    de: (name: string) => `${name} entfernen?`,
    en: (name: string) => `Remove ${name}?`,
  },
  removeBody: {
    de: 'Lodestone sendet nichts mehr dorthin und vergisst die hinterlegten Zugangsdaten; noch ausstehende Zustellungen entfallen.',
    en: 'Lodestone sends nothing there any more and forgets the stored credentials; deliveries still waiting are dropped.',
  },
  cancel: { de: 'Abbrechen', en: 'Cancel' },
  deliveries: { de: 'Zustellungen', en: 'Deliveries' },
  needUrl: {
    de: 'Bitte die Slack-Webhook-Adresse angeben.',
    en: 'Please enter the Slack webhook URL.',
  },
  needTo: {
    de: 'Bitte eine E-Mail-Adresse wie vertrieb@firma.de angeben.',
    en: 'Please enter an email address such as sales@company.com.',
  },
  needToken: {
    de: 'Bitte das Token angeben (mindestens 8 Zeichen).',
    en: 'Please enter the token (at least 8 characters).',
  },
})

const KIND_NAME: Record<IntegrationKind, 'slack' | 'email' | 'hubspot' | 'pipedrive'> = {
  slack: 'slack',
  email: 'email',
  hubspot: 'hubspot',
  pipedrive: 'pipedrive',
}

const isEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254

export function AlertsAndCrm({ siteKey, base }: { siteKey: string; base: string }) {
  const t = useTexts(TEXTS)
  const [list, reload] = useLoad(
    (signal) => api<{ integrations: Integration[] }>(`${base}/integrations`, { signal }),
    [base],
  )
  // Kept here: a card starts afresh from what the API answers after each change.
  const [notices, setNotices] = useState<Partial<Record<IntegrationKind, string>>>({})
  const body = (kinds: IntegrationKind[]) => (
    <Listed value={list} onRetry={reload}>
      {(integrations) =>
        kinds.map((kind) => {
          const current = integrations.find((one) => one.kind === kind) ?? null
          return (
            <div class="int-cell" key={kind}>
              <IntegrationCard
                key={current?.updatedAt ?? ''}
                siteKey={siteKey}
                base={base}
                kind={kind}
                current={current}
                onNotice={(text) => setNotices((before) => ({ ...before, [kind]: text }))}
                onChange={(text) => {
                  setNotices((before) => ({ ...before, [kind]: text }))
                  reload()
                }}
              />
              <p role="status" class="int-notice">
                {notices[kind] ?? ''}
              </p>
            </div>
          )
        })
      }
    </Listed>
  )
  return (
    <>
      <section aria-labelledby="int-alerts">
        <h2 id="int-alerts">{t.alerts}</h2>
        <p class="hint">{t.alertsIntro}</p>
        <div class="int-grid">{body(['slack', 'email'])}</div>
      </section>
      <section aria-labelledby="int-crm">
        <h2 id="int-crm">{t.crm}</h2>
        <p class="hint">{t.crmIntro}</p>
        <div class="int-grid">{body(['hubspot', 'pipedrive'])}</div>
      </section>
    </>
  )
}

/**
 * Like `Loaded`, but a collector without the integrations routes (an older one: `404 not_found`,
 * nothing at the path) says so in words.
 */
function Listed({
  value,
  onRetry,
  children,
}: {
  value: Loadable<{ integrations: Integration[] }>
  onRetry: () => void
  children: (integrations: Integration[]) => preact.ComponentChildren
}) {
  const t = useTexts(TEXTS)
  if (value.state === 'loading') return <Loading />
  if (value.state === 'error')
    return value.error instanceof ApiError && value.error.problem.code === 'not_found' ? (
      <p class="int-unavailable">{t.unavailable}</p>
    ) : (
      <ErrorNote error={value.error} onRetry={onRetry} />
    )
  return <>{children(value.value.integrations)}</>
}

function IntegrationCard({
  siteKey,
  base,
  kind,
  current,
  onNotice,
  onChange,
}: {
  siteKey: string
  base: string
  kind: IntegrationKind
  current: Integration | null
  /** Says something without reloading: '' clears the last notice before a new attempt. */
  onNotice: (notice: string) => void
  /** After a save or removal: says so and loads the integrations again. */
  onChange: (notice: string) => void
}) {
  const t = useTexts(TEXTS)
  const s = useTexts(STATE_WORDS)
  const f = useFormats()
  const lang = useLang()
  const name = t[KIND_NAME[kind]]
  const id = (part: string) => `int-${kind}-${part}`
  const alert = kind === 'slack' || kind === 'email'
  const [secretValue, setSecretValue] = useState('')
  const [to, setTo] = useState(current?.to ?? '')
  const [on, setOn] = useState<AlertTrigger>(current?.on ?? 'sql')
  const [enabled, setEnabled] = useState(current?.enabled ?? true)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [failure, setFailure] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [removing, setRemoving] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  const dirty =
    secretValue !== '' ||
    (kind === 'email' && to !== (current?.to ?? '')) ||
    (alert && on !== (current?.on ?? 'sql')) ||
    enabled !== (current?.enabled ?? true)
  useUnsavedWarning(dirty)

  const path = `${base}/integrations/${kind}`
  const secretField = kind === 'slack' ? 'url' : 'token'

  const submit = async (event: Event) => {
    event.preventDefault()
    setFailure(null)
    // Cleared first: a second "… saved." is then announced again, and a refusal is not shown
    // beside the last success.
    onNotice('')
    const found: Record<string, string> = {}
    const typed = secretValue.trim()
    if (kind === 'slack' && !typed && !current?.tokenSet) found.url = t.needUrl
    if (kind === 'email' && !isEmail(to.trim())) found.to = t.needTo
    if (
      (kind === 'hubspot' || kind === 'pipedrive') &&
      (typed ? typed.length < 8 : !current?.tokenSet)
    )
      found.token = t.needToken
    setErrors(found)
    const focus = (keys: Record<string, string>) =>
      requestAnimationFrame(() => {
        const first = Object.keys(keys)[0]
        form.current?.querySelector<HTMLElement>(`[data-path="${first}"]`)?.focus()
      })
    if (Object.keys(found).length) return focus(found)
    const input: IntegrationInput =
      kind === 'slack'
        ? { kind, on, enabled, ...(typed ? { url: typed } : {}) }
        : kind === 'email'
          ? { kind, to: to.trim(), on, enabled }
          : { kind, enabled, ...(typed ? { token: typed } : {}) }
    setBusy(true)
    try {
      await api(path, { method: 'PUT', body: input })
      setSecretValue('')
      onChange(t.saved(name))
    } catch (caught) {
      const fromApi = fieldErrors(caught, lang)
      setErrors(fromApi)
      if (Object.keys(fromApi).length) focus(fromApi)
      if (
        Object.keys(fromApi).some((key) => !['url', 'to', 'token', 'on'].includes(key)) ||
        !Object.keys(fromApi).length
      )
        setFailure(caught)
    } finally {
      setBusy(false)
    }
  }

  const remove = async () => {
    setFailure(null)
    onNotice('')
    try {
      await api(path, { method: 'DELETE' })
      setRemoving(false)
      onChange(t.removed(name))
    } catch (caught) {
      setFailure(caught)
    }
  }

  const described = (field: string, hint = true) =>
    [errors[field] ? id(`${field}-error`) : '', hint ? id(`${field}-hint`) : '']
      .filter(Boolean)
      .join(' ') || undefined
  const errorLine = (field: string) =>
    errors[field] ? (
      <p class="field-error" id={id(`${field}-error`)}>
        {errors[field]}
      </p>
    ) : null
  const state = current ? stateOf(current, s, f.dateTime) : null
  const secretProps = {
    id: id(secretField),
    'data-path': secretField,
    value: secretValue,
    maxLength: kind === 'slack' ? 2048 : 500,
    spellcheck: false,
    'aria-invalid': errors[secretField] ? (true as const) : undefined,
    'aria-describedby': described(secretField),
    onInput: (event: Event) => setSecretValue((event.currentTarget as HTMLInputElement).value),
  }
  const secretHint =
    kind === 'slack'
      ? current?.tokenSet
        ? t.slackUrlStored(current.urlHint ?? '…')
        : t.slackUrlNew
      : current?.tokenSet
        ? t.tokenStored
        : kind === 'hubspot'
          ? t.hubspotTokenNew
          : t.pipedriveTokenNew

  return (
    <form
      ref={form}
      class="card int-kind"
      aria-labelledby={id('title')}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={id('title')}>{name}</h3>
      <p class="hint">{t[`${KIND_NAME[kind]}Hint`]}</p>
      <p>{state ? <StateBadge {...state} /> : <StateBadge text={t.notSetUp} tone="off" />}</p>
      {kind === 'email' ? (
        <div class="field">
          <label for={id('to')}>{t.to}</label>
          <input
            id={id('to')}
            data-path="to"
            type="email"
            value={to}
            maxLength={254}
            autoComplete="off"
            aria-invalid={errors.to ? true : undefined}
            aria-describedby={described('to')}
            onInput={(event) => setTo(event.currentTarget.value)}
          />
          {errorLine('to')}
          <p class="hint" id={id('to-hint')}>
            {t.toHint}
          </p>
        </div>
      ) : (
        <div class="field">
          <label for={id(secretField)}>
            {kind === 'slack' ? t.slackUrl : kind === 'hubspot' ? t.hubspotToken : t.pipedriveToken}
          </label>
          {kind === 'slack' ? (
            <input type="url" inputMode="url" autoComplete="off" {...secretProps} />
          ) : (
            <input type="password" autoComplete="new-password" {...secretProps} />
          )}
          {errorLine(secretField)}
          <p class="hint" id={id(`${secretField}-hint`)}>
            {secretHint}
          </p>
        </div>
      )}
      {alert && (
        <fieldset>
          <legend>{t.trigger}</legend>
          {errorLine('on')}
          {(['sql', 'hot'] as const).map((value) => (
            <label class="inline" key={value}>
              <input
                type="radio"
                name={id('on')}
                value={value}
                checked={on === value}
                onChange={() => setOn(value)}
              />
              {value === 'sql' ? t.onSql : t.onHot}
            </label>
          ))}
        </fieldset>
      )}
      <div class="field">
        <label class="inline" for={id('enabled')}>
          <input
            id={id('enabled')}
            type="checkbox"
            checked={enabled}
            onChange={(event) => setEnabled(event.currentTarget.checked)}
          />
          {t.enabled}
        </label>
      </div>
      {failure !== null && !removing && <ErrorNote error={failure} />}
      <div class="buttons">
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? t.saving : t.save}
          <span class="visually-hidden"> {name}</span>
        </button>
        {current && (
          <>
            <a class="button secondary" href={paths.integrationDeliveries(siteKey, kind)}>
              {t.deliveries}
              <span class="visually-hidden"> {name}</span>
            </a>
            <button type="button" class="secondary" onClick={() => setRemoving(true)}>
              {t.remove}
              <span class="visually-hidden"> {name}</span>
            </button>
          </>
        )}
      </div>
      <Dialog open={removing} title={t.removeTitle(name)} onClose={() => setRemoving(false)}>
        <p>{t.removeBody}</p>
        {failure !== null && <ErrorNote error={failure} />}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setRemoving(false)}>
            {t.cancel}
          </button>
          <button type="button" class="danger" onClick={() => void remove()}>
            {t.remove}
          </button>
        </div>
      </Dialog>
    </form>
  )
}
