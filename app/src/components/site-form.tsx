import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { isOrigin, ORIGIN_MESSAGE } from '../../../shared/origin'
import type { Rules } from '../../../shared/rules'
import type { Site, SiteDetail, SiteInput } from '../../../shared/site'
import {
  DEFAULT_REQUIRED_FIELDS,
  STANDARD_FIELDS,
  STAGE_MODELS,
  type StageModel,
} from '../../../shared/vocabulary'
import { api, ApiError } from '../api'
import { defineTexts, useLang, useTexts, type Lang } from '../i18n'
import { ErrorNote } from '../ui'
import { FIELD_NAMES } from './field-names'
import { useUnsavedWarning } from './unsaved'
import './site-form.css'

/**
 * A site's settings as one form (docs/app.md#sites): creating a site (`site` null, the root
 * token only) and editing one share it. The form keeps what it does not show (points, pricing
 * pages, stage rules) as the site has it and sends it back unchanged. Every check the browser can
 * make it makes before sending, in the API's words; what the API still refuses is shown at its
 * control from `errors[].path`, and focus moves to the first control in error.
 */
const TEXTS = defineTexts({
  basics: { de: 'Website', en: 'Site' },
  siteKey: { de: 'Website-Schlüssel', en: 'Site key' },
  siteKeyHint: {
    de: 'Steht im Einbau-Code (data-site) und in jeder Adresse der App. 2 bis 64 Zeichen: Kleinbuchstaben a–z, Ziffern und Bindestriche, am Anfang ein Buchstabe oder eine Ziffer. Später nicht mehr änderbar.',
    en: 'Goes into the embed code (data-site) and every address of the app. 2 to 64 characters: lower-case letters a–z, digits and dashes, starting with a letter or digit. It cannot change later.',
  },
  siteKeyBad: {
    de: 'Kleinbuchstaben, Ziffern und Bindestriche, 2 bis 64 Zeichen, nicht mit einem Bindestrich beginnend.',
    en: 'lower-case letters, digits and dashes, 2 to 64 characters, not starting with a dash',
  },
  name: { de: 'Name', en: 'Name' },
  nameHint: {
    de: 'Wie die Website in der App und auf den Einwilligungsseiten heißt.',
    en: 'What the site is called in the app and on the consent pages.',
  },
  nameNeeded: { de: 'Bitte einen Namen angeben.', en: 'Please enter a name.' },
  origins: { de: 'Erlaubte Origins', en: 'Allowed origins' },
  originsHint: {
    de: 'Nur Seiten dieser Origins dürfen Formulare zeigen und Daten senden. Schema und Host, ggf. Port: https://www.example.com, ohne Pfad.',
    en: 'Only pages of these origins may show the forms and send data. Scheme and host, and a port if any: https://www.example.com, no path.',
  },
  origin: { de: (n: number) => `Origin ${n}`, en: (n: number) => `Origin ${n}` },
  originBad: {
    de: 'muss ein Origin wie https://www.example.com sein (kein Pfad, kein Schrägstrich am Ende)',
    en: ORIGIN_MESSAGE,
  },
  originNeeded: { de: 'Mindestens ein Origin.', en: 'At least one origin.' },
  originTwice: { de: 'Steht schon in der Liste.', en: 'Already in the list.' },
  addOrigin: { de: 'Origin hinzufügen', en: 'Add an origin' },
  removeOrigin: {
    de: (n: number) => `Origin ${n} entfernen`,
    en: (n: number) => `Remove origin ${n}`,
  },
  region: { de: 'Sprache und Land', en: 'Language and country' },
  locale: { de: 'Sprache der Formulare und Mails', en: 'Language of forms and mails' },
  localeHint: {
    de: 'Wenn die Seite des Besuchers keine Sprache nennt.',
    en: "When the visitor's page names no language.",
  },
  german: { de: 'Deutsch', en: 'German' },
  english: { de: 'Englisch', en: 'English' },
  country: { de: 'Land für Telefonnummern', en: 'Country for phone numbers' },
  countryHint: {
    de: 'Nummern ohne +Vorwahl werden als Nummern dieses Landes gelesen und als E.164 gespeichert.',
    en: 'Numbers without a +code are read as numbers of this country and stored as E.164.',
  },
  stageModel: { de: 'Phasenmodell', en: 'Stage model' },
  b2b: { de: 'B2B: Geschäftskunden', en: 'B2B: business buyers' },
  b2bHint: {
    de: 'Lead → MQL → SQL → Opportunity → Kunde: Regeln heben Leads nach Engagement und Eignung an, Opportunity und Kunde setzen Menschen.',
    en: 'Lead → MQL → SQL → opportunity → customer: rules move leads on by engagement and fit, people set opportunity and customer.',
  },
  b2c: { de: 'B2C: Privatkunden', en: 'B2C: consumers' },
  b2cHint: {
    de: 'Interessent → engagiert → interessiert → Bedarf erkannt → Kunde: für Verbraucher, die ohne Vertrieb kaufen.',
    en: 'Prospect → engaged → interested → need recognised → customer: for consumers who buy without a sales team.',
  },
  stageModelLocked: {
    de: (model: string) =>
      `Gesperrt: Die Website hat schon Leads, und deren Phasen gehören zum ${model}-Modell. Das Phasenmodell lässt sich nicht mehr wechseln.`,
    en: (model: string) =>
      `Locked: the site has leads already, and their stages belong to the ${model} model. The stage model can no longer change.`,
  },
  stageModelInUse: {
    de: 'Inzwischen hat die Website Leads; deren Phasen gehören zum bisherigen Modell, daher bleibt es.',
    en: 'The site has leads by now; their stages belong to its current model, so it stays.',
  },
  required: { de: 'Pflichtfelder eines vollständigen Leads', en: 'Fields a complete lead has' },
  requiredHint: {
    de: 'Ein Lead ohne eines dieser Felder wird gespeichert, aber als unvollständig markiert und nicht weiter qualifiziert. E-Mail ist immer Pflicht.',
    en: 'A lead without one of these is stored but marked incomplete and not qualified further. Email is always required.',
  },
  thresholds: { de: 'Schwellen der Qualifizierung', en: 'Qualification thresholds' },
  thresholdsHint: {
    de: 'Leer lassen für den Standardwert. Punkte, Preisseiten und eigene Regeln bleiben, wie sie sind.',
    en: 'Leave empty for the default. Points, pricing pages and own rules stay as they are.',
  },
  defaultIs: { de: (n: string) => `Standard: ${n}`, en: (n: string) => `Default: ${n}` },
  wholeNumber: {
    de: (min: number, max: number) => `Eine ganze Zahl von ${min} bis ${max}.`,
    en: (min: number, max: number) => `A whole number from ${min} to ${max}.`,
  },
  numberIn: {
    de: (min: number, max: number) => `Eine Zahl von ${min} bis ${max}.`,
    en: (min: number, max: number) => `A number from ${min} to ${max}.`,
  },
  privacy: { de: 'Datenschutz und Schutz vor Spam', en: 'Privacy and spam protection' },
  retention: { de: 'Aufbewahrung anonymer Daten (Tage)', en: 'Keep anonymous data (days)' },
  retentionHint: {
    de: 'Seitenaufrufe ohne Bezug zu einem Lead werden nach so vielen Tagen gelöscht (Standard 396, etwa 13 Monate).',
    en: 'Page views not linked to a lead are deleted after this many days (default 396, about 13 months).',
  },
  turnstile: {
    de: 'Cloudflare Turnstile auf den Formularen',
    en: 'Cloudflare Turnstile on the forms',
  },
  turnstileHint: {
    de: 'Eine unsichtbare Prüfung gegen Bots. Der Collector braucht dafür seine Turnstile-Schlüssel (TURNSTILE_SITE_KEY und TURNSTILE_SECRET).',
    en: "An invisible check against bots. It needs the collector's Turnstile keys (TURNSTILE_SITE_KEY and TURNSTILE_SECRET).",
  },
  turnstileUnavailable: {
    de: 'Dieser Collector hat keine Turnstile-Schlüssel; bitte zuerst TURNSTILE_SITE_KEY und TURNSTILE_SECRET setzen.',
    en: 'This collector has no Turnstile keys; set TURNSTILE_SITE_KEY and TURNSTILE_SECRET first.',
  },
  accent: { de: 'Akzentfarbe der Einwilligungsseiten', en: 'Accent colour of the consent pages' },
  accentHint: {
    de: 'Für Banner und Knöpfe der Seiten, die Leads aus Mails öffnen; #rrggbb, leer für #1d4ed8. Die Schrift darauf wird weiß oder dunkel, je nachdem, was lesbar ist.',
    en: 'For the banner and buttons of the pages leads open from mails; #rrggbb, empty for #1d4ed8. Text on it is white or dark, whichever is readable.',
  },
  accentBad: {
    de: 'Eine Farbe #rrggbb, zum Beispiel #1d4ed8.',
    en: 'a hex colour #rrggbb, for example #1d4ed8',
  },
  create: { de: 'Website anlegen', en: 'Create the site' },
  save: { de: 'Speichern', en: 'Save' },
  saved: { de: 'Gespeichert.', en: 'Saved.' },
  unsaved: { de: 'Ungespeicherte Änderungen', en: 'Unsaved changes' },
  fix: {
    de: (n: number) =>
      n === 1 ? 'Ein Feld braucht Ihre Hilfe.' : `${n} Felder brauchen Ihre Hilfe.`,
    en: (n: number) =>
      n === 1 ? 'One field needs your attention.' : `${n} fields need your attention.`,
  },
})

type ThresholdKey =
  | 'mqlThreshold'
  | 'sqlThreshold'
  | 'repeatedPricingViews'
  | 'halfLifeDays'
  | 'timelineMonths'
  | 'hotWindowDays'
  | 'warmWindowDays'

/**
 * The rules' single numbers (shared/rules.ts), their defaults and bounds, and what each means
 * for the site's stage model (docs/stages-and-scoring.md).
 */
const THRESHOLDS: {
  key: ThresholdKey
  fallback: number
  min: number
  max: number
  /** Takes a fraction (the half-life); the others are whole numbers. */
  fraction?: true
  label: Record<Lang, string>
  means: Record<StageModel, Record<Lang, string>>
}[] = [
  {
    key: 'mqlThreshold',
    fallback: 25,
    min: 0,
    max: 10_000,
    label: { de: 'MQL-Schwelle (Engagement)', en: 'MQL threshold (engagement)' },
    means: {
      b2b: {
        de: 'Ein vollständiger Lead wird zum MQL, sobald sein Engagement-Score diesen Wert erreicht.',
        en: 'A complete lead becomes an MQL once its engagement score reaches this.',
      },
      b2c: {
        de: 'Ein vollständiger Interessent wird „engagiert“, sobald sein Engagement-Score diesen Wert erreicht (oder mit einem zweiten Formular, Webinar oder Anfrageformular).',
        en: 'A complete prospect becomes engaged once its engagement score reaches this (or with a second form, a webinar or an intent form).',
      },
    },
  },
  {
    key: 'sqlThreshold',
    fallback: 30,
    min: 0,
    max: 10_000,
    label: { de: 'SQL-Schwelle (Eignung)', en: 'SQL threshold (fit)' },
    means: {
      b2b: {
        de: 'Ein MQL mit Kaufabsicht (Anfrageformular oder wiederholte Preisseiten-Aufrufe) wird zum SQL, sobald sein Fit-Score diesen Wert erreicht, etwa eine Entscheiderin mit Firmenadresse.',
        en: 'An MQL with buying intent (an intent form or repeated pricing-page views) becomes an SQL once its fit score reaches this, for example a decision maker writing from a business domain.',
      },
      b2c: {
        de: 'Die eingebauten B2C-Regeln nutzen ihn nicht; eigene Regeln der Website können sich darauf beziehen.',
        en: "The built-in b2c rules do not use it; the site's own rules may refer to it.",
      },
    },
  },
  {
    key: 'repeatedPricingViews',
    fallback: 3,
    min: 1,
    max: 100,
    label: { de: 'Wiederholte Preisseiten-Aufrufe', en: 'Repeated pricing-page views' },
    means: {
      b2b: {
        de: 'So viele gezählte Aufrufe von Preisseiten zeigen Kaufabsicht (auf dem Weg zum SQL).',
        en: 'This many counted pricing-page views show buying intent (on the way to SQL).',
      },
      b2c: {
        de: 'So viele gezählte Aufrufe von Preisseiten machen einen engagierten Lead „interessiert“.',
        en: 'This many counted pricing-page views make an engaged lead interested.',
      },
    },
  },
  {
    key: 'halfLifeDays',
    fallback: 30,
    min: 1,
    max: 3650,
    fraction: true,
    label: { de: 'Halbwertszeit des Engagements (Tage)', en: 'Engagement half-life (days)' },
    means: {
      b2b: {
        de: 'Nach so vielen Tagen zählen Punkte eines Kontakts nur noch halb: Älteres zählt weniger.',
        en: 'After this many days a touchpoint’s points count half: older interest counts less.',
      },
      b2c: {
        de: 'Nach so vielen Tagen zählen Punkte eines Kontakts nur noch halb: Älteres zählt weniger.',
        en: 'After this many days a touchpoint’s points count half: older interest counts less.',
      },
    },
  },
  {
    key: 'timelineMonths',
    fallback: 3,
    min: 1,
    max: 36,
    label: { de: 'Zeitrahmen „bald“ (Monate)', en: 'Timeline “soon” (months)' },
    means: {
      b2b: {
        de: 'Ein genannter Zeitrahmen innerhalb so vieler Monate bringt die Zeitrahmen-Punkte des Fit-Scores.',
        en: 'A stated timeline within this many months earns the fit score’s timeline points.',
      },
      b2c: {
        de: 'Ein genannter Zeitrahmen innerhalb so vieler Monate zählt als „Bedarf erkannt“.',
        en: 'A stated timeline within this many months counts as a need recognised.',
      },
    },
  },
  {
    key: 'hotWindowDays',
    fallback: 14,
    min: 1,
    max: 365,
    label: { de: 'Heiß (Tage)', en: 'Hot (days)' },
    means: {
      b2b: {
        de: 'Heiß ist ein Lead mit einem Anfrageformular oder Preisseiten-Aufruf in so vielen Tagen.',
        en: 'A lead is hot with an intent form or a pricing-page view within this many days.',
      },
      b2c: {
        de: 'Heiß ist ein Lead mit einem Anfrageformular oder Preisseiten-Aufruf in so vielen Tagen.',
        en: 'A lead is hot with an intent form or a pricing-page view within this many days.',
      },
    },
  },
  {
    key: 'warmWindowDays',
    fallback: 30,
    min: 1,
    max: 365,
    label: { de: 'Warm (Tage)', en: 'Warm (days)' },
    means: {
      b2b: {
        de: 'Warm ist ein Lead mit irgendeiner eigenen Interaktion in so vielen Tagen; sonst kalt.',
        en: 'A lead is warm with any interaction of its own within this many days; else cold.',
      },
      b2c: {
        de: 'Warm ist ein Lead mit irgendeiner eigenen Interaktion in so vielen Tagen; sonst kalt.',
        en: 'A lead is warm with any interaction of its own within this many days; else cold.',
      },
    },
  },
]

/** Countries whose numbers a site most likely takes, with their calling code. */
const COUNTRIES: [string, string][] = [
  ['DE', '+49'],
  ['AT', '+43'],
  ['CH', '+41'],
  ['LI', '+423'],
  ['LU', '+352'],
  ['NL', '+31'],
  ['BE', '+32'],
  ['FR', '+33'],
  ['IT', '+39'],
  ['ES', '+34'],
  ['PT', '+351'],
  ['PL', '+48'],
  ['CZ', '+420'],
  ['DK', '+45'],
  ['SE', '+46'],
  ['NO', '+47'],
  ['FI', '+358'],
  ['IE', '+353'],
  ['GB', '+44'],
  ['US', '+1'],
  ['CA', '+1'],
  ['AU', '+61'],
]

const SITE_KEY = /^[a-z0-9][a-z0-9-]*$/
const COLOUR = /^#[0-9a-fA-F]{6}$/

interface Draft {
  siteKey: string
  name: string
  origins: string[]
  locale: 'de' | 'en'
  country: string
  stageModel: StageModel
  requiredFields: string[]
  thresholds: Record<ThresholdKey, string>
  retentionDays: string
  turnstile: boolean
  accentColor: string
}

function draftOf(site: Site | null, lang: Lang): Draft {
  const rules = site?.rules ?? {}
  return {
    siteKey: site?.siteKey ?? '',
    name: site?.name ?? '',
    origins: site?.allowedOrigins.length ? [...site.allowedOrigins] : [''],
    locale: site?.locale ?? lang,
    country: site?.country ?? 'DE',
    stageModel: site?.stageModel ?? 'b2b',
    requiredFields: site?.requiredFields ?? DEFAULT_REQUIRED_FIELDS.b2b,
    thresholds: Object.fromEntries(
      THRESHOLDS.map(({ key }) => [key, rules[key] === undefined ? '' : String(rules[key])]),
    ) as Record<ThresholdKey, string>,
    retentionDays: String(site?.retentionDays ?? 396),
    turnstile: site?.turnstile ?? false,
    accentColor: site?.accentColor ?? '',
  }
}

/** Field errors by the API's path (`allowedOrigins.1`, `rules.mqlThreshold`…). */
type Errors = Record<string, string>

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value) => b.includes(value))

export function SiteForm({
  site,
  onSaved,
}: {
  /** The site to edit; null creates one. */
  site: SiteDetail | null
  onSaved: (site: Site, created: boolean) => void
}) {
  const t = useTexts(TEXTS)
  const fieldNames = useTexts(FIELD_NAMES)
  const lang = useLang()
  const creating = site === null
  const [initial, setInitial] = useState(() => draftOf(site, lang))
  const [draft, setDraft] = useState(initial)
  const [errors, setErrors] = useState<Errors>({})
  const [failure, setFailure] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  // Set when a submit found errors: focus then moves to the first control in error.
  const [focusRound, setFocusRound] = useState(0)
  const formRef = useRef<HTMLFormElement>(null)
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(initial), [draft, initial])
  useUnsavedWarning(dirty && !busy)
  const locked = site?.stageModelLocked ?? false

  useEffect(() => {
    if (focusRound) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [focusRound])

  const change = (patch: Partial<Draft>) => {
    setSaved(false)
    setDraft((previous) => ({ ...previous, ...patch }))
  }
  const setStageModel = (stageModel: StageModel) =>
    change({
      stageModel,
      // The new model's defaults, unless the reader chose other fields already.
      requiredFields: sameSet(draft.requiredFields, DEFAULT_REQUIRED_FIELDS[draft.stageModel])
        ? DEFAULT_REQUIRED_FIELDS[stageModel]
        : draft.requiredFields,
    })

  /** The browser's own checks, with the API's paths, so both show alike. */
  const check = (): Errors => {
    const found: Errors = {}
    if (
      creating &&
      (!SITE_KEY.test(draft.siteKey) || draft.siteKey.length < 2 || draft.siteKey.length > 64)
    )
      found.siteKey = t.siteKeyBad
    if (!draft.name.trim()) found.name = t.nameNeeded
    const origins = draft.origins.map((origin) => origin.trim())
    origins.forEach((origin, i) => {
      if (!isOrigin(origin)) found[`allowedOrigins.${i}`] = t.originBad
      else if (origins.indexOf(origin) < i) found[`allowedOrigins.${i}`] = t.originTwice
    })
    if (!origins.length) found.allowedOrigins = t.originNeeded
    for (const { key, min, max, fraction } of THRESHOLDS) {
      const text = draft.thresholds[key].trim()
      if (text && !numberIn(text, min, max, fraction))
        found[`rules.${key}`] = fraction ? t.numberIn(min, max) : t.wholeNumber(min, max)
    }
    if (!numberIn(draft.retentionDays.trim(), 1, 1096)) found.retentionDays = t.wholeNumber(1, 1096)
    if (draft.accentColor.trim() && !COLOUR.test(draft.accentColor.trim()))
      found.accentColor = t.accentBad
    return found
  }

  const body = (): SiteInput => {
    // The rules as the site has them, with the thresholds shown here set or (empty) removed.
    const rules: Record<string, unknown> = { ...(site?.rules ?? {}) }
    for (const { key } of THRESHOLDS) {
      const text = draft.thresholds[key].trim()
      if (text) rules[key] = Number(text.replace(',', '.'))
      else delete rules[key]
    }
    const accent = draft.accentColor.trim()
    return {
      name: draft.name.trim(),
      allowedOrigins: draft.origins.map((origin) => origin.trim()),
      locale: draft.locale,
      country: draft.country,
      stageModel: draft.stageModel,
      requiredFields: ['email', ...draft.requiredFields.filter((field) => field !== 'email')],
      rules: rules as Rules,
      retentionDays: Number(draft.retentionDays.trim()),
      turnstile: draft.turnstile,
      ...(accent ? { accentColor: accent } : {}),
    }
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    setFailure(null)
    setSaved(false)
    const found = check()
    setErrors(found)
    if (Object.keys(found).length) return setFocusRound((n) => n + 1)
    const siteKey = creating ? draft.siteKey : site.siteKey
    setBusy(true)
    try {
      const answer = await api<Site>(`/v1/admin/sites/${encodeURIComponent(siteKey)}`, {
        method: 'PUT',
        body: body(),
      })
      const next = draftOf(answer, lang)
      setInitial(next)
      setDraft(next)
      setSaved(true)
      onSaved(answer, creating)
    } catch (caught) {
      const fromApi = caught instanceof ApiError ? apiErrors(caught) : {}
      if (Object.keys(fromApi).length) {
        setErrors(fromApi)
        setFocusRound((n) => n + 1)
      } else setFailure(caught)
    } finally {
      setBusy(false)
    }
  }

  /**
   * The API's field errors by the control that shows them, in the reader's words where the app
   * knows the cause; an error of a setting the form does not show keeps its path and is listed
   * under the form.
   */
  const apiErrors = (error: ApiError): Errors => {
    const found: Errors = {}
    for (const { path, message } of error.problem.errors ?? []) {
      const first = path.split('.')[0]!
      const key = shownAt(path) ? path : first !== 'rules' && shownAt(first) ? first : path
      found[key] =
        error.problem.code === 'stage_model_in_use' && key === 'stageModel'
          ? t.stageModelInUse
          : error.problem.code === 'turnstile_unavailable' && key === 'turnstile'
            ? t.turnstileUnavailable
            : /^allowedOrigins\.\d+$/.test(key)
              ? t.originBad
              : message
    }
    return found
  }
  /** Whether a control of the form shows the errors of `path`. */
  const shownAt = (path: string) => {
    const row = /^allowedOrigins\.(\d+)$/.exec(path)
    if (row) return Number(row[1]) < draft.origins.length
    if (path.startsWith('rules.')) return THRESHOLDS.some(({ key }) => path === `rules.${key}`)
    return path in KNOWN_PATHS && (creating || path !== 'siteKey')
  }
  const unshown = Object.entries(errors).filter(([path]) => !shownAt(path))

  /** aria attributes of a control: its hint, its error, and whether it is invalid. */
  const described = (id: string, path: string, hint = true) => ({
    id,
    'aria-invalid': errors[path] ? (true as const) : undefined,
    'aria-describedby':
      [errors[path] ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') ||
      undefined,
  })
  const errorText = (id: string, path: string) =>
    errors[path] ? (
      <p class="field-error" id={`${id}-error`}>
        {errors[path]}
      </p>
    ) : null
  const errorCount = Object.keys(errors).length

  return (
    <form class="site-form" ref={formRef} noValidate onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>{t.basics}</legend>
        {creating && (
          <div class="field">
            <label for="site-key">{t.siteKey}</label>
            <input
              {...described('site-key', 'siteKey')}
              name="siteKey"
              value={draft.siteKey}
              maxLength={64}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => change({ siteKey: e.currentTarget.value.trim() })}
            />
            {errorText('site-key', 'siteKey')}
            <p class="hint" id="site-key-hint">
              {t.siteKeyHint}
            </p>
          </div>
        )}
        <div class="field">
          <label for="site-name">{t.name}</label>
          <input
            {...described('site-name', 'name')}
            name="name"
            value={draft.name}
            maxLength={200}
            onInput={(e) => change({ name: e.currentTarget.value })}
          />
          {errorText('site-name', 'name')}
          <p class="hint" id="site-name-hint">
            {t.nameHint}
          </p>
        </div>
      </fieldset>

      <fieldset aria-describedby="site-origins-hint">
        <legend>{t.origins}</legend>
        <p class="hint" id="site-origins-hint">
          {t.originsHint}
        </p>
        {errors.allowedOrigins && (
          <p class="field-error" id="site-origins-error">
            {errors.allowedOrigins}
          </p>
        )}
        <ul class="origin-rows">
          {draft.origins.map((origin, i) => (
            <li key={i}>
              <label for={`site-origin-${i}`} class="visually-hidden">
                {t.origin(i + 1)}
              </label>
              <input
                {...described(`site-origin-${i}`, `allowedOrigins.${i}`, false)}
                type="url"
                inputMode="url"
                value={origin}
                maxLength={255}
                placeholder="https://www.example.com"
                autoComplete="off"
                spellcheck={false}
                onInput={(e) => {
                  const origins = [...draft.origins]
                  origins[i] = e.currentTarget.value
                  change({ origins })
                }}
              />
              {draft.origins.length > 1 && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => change({ origins: draft.origins.filter((_, j) => j !== i) })}
                >
                  {t.removeOrigin(i + 1)}
                </button>
              )}
              {errorText(`site-origin-${i}`, `allowedOrigins.${i}`)}
            </li>
          ))}
        </ul>
        <button
          type="button"
          class="secondary"
          disabled={draft.origins.length >= 50}
          onClick={() => {
            change({ origins: [...draft.origins, ''] })
            // The new row takes the focus, as one would type there next.
            requestAnimationFrame(() =>
              document.getElementById(`site-origin-${draft.origins.length}`)?.focus(),
            )
          }}
        >
          {t.addOrigin}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t.region}</legend>
        <div class="field">
          <label for="site-locale">{t.locale}</label>
          <select
            {...described('site-locale', 'locale')}
            value={draft.locale}
            onChange={(e) => change({ locale: e.currentTarget.value as 'de' | 'en' })}
          >
            <option value="de">{t.german}</option>
            <option value="en">{t.english}</option>
          </select>
          {errorText('site-locale', 'locale')}
          <p class="hint" id="site-locale-hint">
            {t.localeHint}
          </p>
        </div>
        <div class="field">
          <label for="site-country">{t.country}</label>
          <select
            {...described('site-country', 'country')}
            value={draft.country}
            onChange={(e) => change({ country: e.currentTarget.value })}
          >
            {countryOptions(lang, draft.country).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
          {errorText('site-country', 'country')}
          <p class="hint" id="site-country-hint">
            {t.countryHint}
          </p>
        </div>
      </fieldset>

      <fieldset
        class="stage-models"
        aria-describedby={
          [
            errors.stageModel ? 'site-stage-model-error' : '',
            locked ? 'site-stage-model-locked' : '',
          ]
            .filter(Boolean)
            .join(' ') || undefined
        }
      >
        <legend>{t.stageModel}</legend>
        {locked && (
          <p class="locked" id="site-stage-model-locked">
            {t.stageModelLocked(draft.stageModel)}
          </p>
        )}
        {errors.stageModel && (
          <p class="field-error" id="site-stage-model-error">
            {errors.stageModel}
          </p>
        )}
        {STAGE_MODELS.map((model) => (
          <div class="choice" key={model}>
            <input
              type="radio"
              name="stageModel"
              id={`site-stage-${model}`}
              value={model}
              checked={draft.stageModel === model}
              disabled={locked}
              aria-invalid={errors.stageModel ? true : undefined}
              aria-describedby={`site-stage-${model}-hint`}
              onChange={() => setStageModel(model)}
            />
            <label for={`site-stage-${model}`}>{t[model]}</label>
            <p class="hint" id={`site-stage-${model}-hint`}>
              {model === 'b2b' ? t.b2bHint : t.b2cHint}
            </p>
          </div>
        ))}
      </fieldset>

      <fieldset aria-describedby="site-required-hint">
        <legend>{t.required}</legend>
        <p class="hint" id="site-required-hint">
          {t.requiredHint}
        </p>
        {errorText('site-required', 'requiredFields')}
        <ul class="checks">
          {STANDARD_FIELDS.map((field) => (
            <li key={field}>
              <label class="inline">
                <input
                  type="checkbox"
                  checked={field === 'email' || draft.requiredFields.includes(field)}
                  disabled={field === 'email'}
                  onChange={(e) =>
                    change({
                      requiredFields: e.currentTarget.checked
                        ? [...draft.requiredFields, field]
                        : draft.requiredFields.filter((name) => name !== field),
                    })
                  }
                />
                {fieldNames[field]}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <fieldset aria-describedby="site-thresholds-hint">
        <legend>{t.thresholds}</legend>
        <p class="hint" id="site-thresholds-hint">
          {t.thresholdsHint}
        </p>
        <div class="threshold-grid">
          {THRESHOLDS.map(({ key, fallback, min, max, fraction, label, means }) => (
            <div class="field" key={key}>
              <label for={`site-${key}`}>{label[lang]}</label>
              <input
                {...described(`site-${key}`, `rules.${key}`)}
                type="number"
                inputMode={fraction ? 'decimal' : 'numeric'}
                min={min}
                max={max}
                step={fraction ? 'any' : 1}
                placeholder={String(fallback)}
                value={draft.thresholds[key]}
                onInput={(e) =>
                  change({ thresholds: { ...draft.thresholds, [key]: e.currentTarget.value } })
                }
              />
              {errorText(`site-${key}`, `rules.${key}`)}
              <p class="hint" id={`site-${key}-hint`}>
                {means[draft.stageModel][lang]} {t.defaultIs(String(fallback))}
              </p>
            </div>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t.privacy}</legend>
        <div class="field">
          <label for="site-retention">{t.retention}</label>
          <input
            {...described('site-retention', 'retentionDays')}
            type="number"
            inputMode="numeric"
            min={1}
            max={1096}
            step={1}
            value={draft.retentionDays}
            onInput={(e) => change({ retentionDays: e.currentTarget.value })}
          />
          {errorText('site-retention', 'retentionDays')}
          <p class="hint" id="site-retention-hint">
            {t.retentionHint}
          </p>
        </div>
        <div class="field">
          <label class="inline" for="site-turnstile">
            <input
              {...described('site-turnstile', 'turnstile')}
              type="checkbox"
              checked={draft.turnstile}
              onChange={(e) => change({ turnstile: e.currentTarget.checked })}
            />
            {t.turnstile}
          </label>
          {errorText('site-turnstile', 'turnstile')}
          <p class="hint" id="site-turnstile-hint">
            {t.turnstileHint}
          </p>
        </div>
        <div class="field">
          <label for="site-accent">{t.accent}</label>
          <span class="accent-row">
            <input
              {...described('site-accent', 'accentColor')}
              value={draft.accentColor}
              maxLength={7}
              placeholder="#1d4ed8"
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => change({ accentColor: e.currentTarget.value })}
            />
            <span
              class="swatch"
              aria-hidden="true"
              style={{
                background: COLOUR.test(draft.accentColor.trim())
                  ? draft.accentColor.trim()
                  : '#1d4ed8',
              }}
            />
          </span>
          {errorText('site-accent', 'accentColor')}
          <p class="hint" id="site-accent-hint">
            {t.accentHint}
          </p>
        </div>
      </fieldset>

      {errorCount > 0 && (
        <div class="field-error" role="alert">
          <p>{t.fix(errorCount)}</p>
          {unshown.length > 0 && (
            <ul>
              {unshown.map(([path, message]) => (
                <li key={path}>
                  <code>{path}</code>: {message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {failure !== null && <ErrorNote error={failure} />}
      <div class="site-form-buttons">
        <button type="submit" disabled={busy}>
          {creating ? t.create : t.save}
        </button>
        <span role="status" class="hint">
          {saved ? t.saved : dirty ? t.unsaved : ''}
        </span>
      </div>
    </form>
  )
}

/** The API paths the form shows errors at as they are (others at their first segment). */
const KNOWN_PATHS: Record<string, true> = {
  siteKey: true,
  name: true,
  allowedOrigins: true,
  locale: true,
  country: true,
  stageModel: true,
  requiredFields: true,
  retentionDays: true,
  turnstile: true,
  accentColor: true,
}

/** Whether `text` is a number in [min, max]: whole, or with `fraction` a decimal (point or comma). */
function numberIn(text: string, min: number, max: number, fraction = false): boolean {
  if (!(fraction ? /^\d+([.,]\d+)?$/ : /^\d+$/).test(text)) return false
  const value = Number(text.replace(',', '.'))
  return value >= min && value <= max
}

/** The country list in the reader's language, with the site's own country if it is another. */
function countryOptions(lang: Lang, current: string): [string, string][] {
  const names = new Intl.DisplayNames([lang], { type: 'region' })
  const list = COUNTRIES.some(([code]) => code === current)
    ? COUNTRIES
    : [...COUNTRIES, [current, ''] as [string, string]]
  return list
    .map(([code, calling]): [string, string] => [
      code,
      `${names.of(code) ?? code} (${code}${calling ? `, ${calling}` : ''})`,
    ])
    .sort((a, b) => a[1].localeCompare(b[1], lang))
}
