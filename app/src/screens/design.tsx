import { useEffect, useRef, useState } from 'preact/hooks'
import {
  checkThemeContrast,
  FORM_COLOUR_DEFAULTS,
  formatRatio,
  type FormColour,
} from '../../../shared/contrast'
import type { Site, Theme } from '../../../shared/site'
import { api, ApiError } from '../api'
import { defineTexts, useLang, useTexts } from '../i18n'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import './design.css'

const TEXTS = defineTexts({
  title: { de: 'Design', en: 'Design' },
  intro: {
    de: 'Die Farben, Rundung, Schrift und Breite der Formulare dieser Website. Leer gelassen gilt der Standard; Regeln Ihrer eigenen Seite auf dem Platzhalter gehen vor.',
    en: "The colours, corners, font and width of this site's forms. Left empty, the default applies; your own page's rules on the placeholder win over these.",
  },
  colours: { de: 'Farben', en: 'Colours' },
  shape: { de: 'Form und Schrift', en: 'Shape and font' },
  picker: {
    de: (name: string) => `${name}: Farbwähler`,
    en: (name: string) => `${name}: colour picker`,
  },
  hex: { de: 'Hex-Wert, z. B. #1d4ed8', en: 'Hex value, e.g. #1d4ed8' },
  default: {
    de: (value: string) => `Standard: ${value}`,
    en: (value: string) => `Default: ${value}`,
  },
  radiusHint: {
    de: 'Eine Länge wie 6px, 0.5rem oder 1em.',
    en: 'A length such as 6px, 0.5rem or 1em.',
  },
  widthHint: {
    de: 'Höchstbreite des Formulars, z. B. 30em oder 100%.',
    en: "The form's largest width, such as 30em or 100%.",
  },
  fontHint: {
    de: 'Schriftfamilien, durch Kommas getrennt, z. B. Inter, "Helvetica Neue", sans-serif. Leer: die Schrift Ihrer Seite.',
    en: 'Font families separated by commas, such as Inter, "Helvetica Neue", sans-serif. Empty: your page\'s font.',
  },
  contrast: { de: 'Kontrast (WCAG 2)', en: 'Contrast (WCAG 2)' },
  contrastOk: {
    de: (pair: string, ratio: string, needs: string) =>
      `${pair}: ${ratio}:1, ausreichend (mindestens ${needs}:1).`,
    en: (pair: string, ratio: string, needs: string) =>
      `${pair}: ${ratio}:1, enough (needs ${needs}:1).`,
  },
  contrastLow: {
    de: (pair: string, ratio: string, needs: string) => `${pair}: ${ratio}:1, braucht ${needs}:1`,
    en: (pair: string, ratio: string, needs: string) => `${pair}: ${ratio}:1, needs ${needs}:1`,
  },
  warning: { de: 'Warnung', en: 'Warning' },
  sample: { de: 'Vorschau', en: 'Preview' },
  save: { de: 'Speichern', en: 'Save' },
  saving: { de: 'Wird gespeichert …', en: 'Saving …' },
  saved: {
    de: 'Gespeichert. Die Formulare zeigen das neue Design spätestens nach einer Minute.',
    en: 'Saved. The forms show the new design within a minute.',
  },
  reset: { de: 'Alles auf Standard', en: 'Reset all to default' },
  on: {
    de: (a: string, b: string) => `${a} auf ${b}`,
    en: (a: string, b: string) => `${a} on ${b.toLowerCase()}`,
  },
})

const NAMES = defineTexts({
  accent: { de: 'Akzent (Schaltfläche)', en: 'Accent (button)' },
  onAccent: { de: 'Text auf Akzent', en: 'Text on accent' },
  text: { de: 'Text', en: 'Text' },
  background: { de: 'Hintergrund', en: 'Background' },
  border: { de: 'Rahmen', en: 'Border' },
  error: { de: 'Fehler', en: 'Error' },
  radius: { de: 'Eckenradius', en: 'Corner radius' },
  width: { de: 'Breite', en: 'Width' },
  font: { de: 'Schrift', en: 'Font' },
})

const COLOURS: FormColour[] = ['accent', 'onAccent', 'text', 'background', 'border', 'error']
const HEX = /^#[0-9a-f]{6}$/i
type Draft = Partial<Record<keyof Theme, string>>

/** What `PUT` takes back of the site as `GET` answered it, with the new theme. */
function siteInput(site: Site & { stageModelLocked?: boolean }, theme: Theme) {
  const {
    siteKey: _key,
    createdAt: _created,
    updatedAt: _updated,
    stageModelLocked: _locked,
    accentColor,
    ...rest
  } = site
  return { ...rest, ...(accentColor ? { accentColor } : {}), theme }
}

/** The draft without empty values: what is saved, and what the sample shows. */
const themeOf = (draft: Draft): Theme =>
  Object.fromEntries(Object.entries(draft).filter(([, value]) => value?.trim())) as Theme

/** `/app/<siteKey>/design`: the site's form theme with a live sample and a contrast check. */
export function Design({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const path = `/v1/admin/sites/${encodeURIComponent(siteKey)}`
  const [site, reload] = useLoad((signal) => api<Site>(path, { signal }), [path])
  return (
    <div class="design">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <p class="hint">{t.intro}</p>
      <Loaded value={site} onRetry={reload}>
        {(loaded) => <Editor key={loaded.updatedAt} site={loaded} path={path} />}
      </Loaded>
    </div>
  )
}

function Editor({ site, path }: { site: Site; path: string }) {
  const t = useTexts(TEXTS)
  const n = useTexts(NAMES)
  const lang = useLang()
  const [draft, setDraft] = useState<Draft>({ ...site.theme })
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const theme = themeOf(draft)
  const checks = checkThemeContrast(theme)
  const fieldErrors = new Map(
    error instanceof ApiError
      ? (error.problem.errors ?? []).map((e) => [e.path.replace(/^theme\./, ''), e.message])
      : [],
  )

  const sampleHost = useRef<HTMLDivElement>(null)
  const [paint, setPaint] = useState<((theme: Theme, lang: 'de' | 'en') => void) | null>(null)
  useEffect(() => {
    let live = true
    void import('./design-sample').then(({ mountSample }) => {
      if (live && sampleHost.current) {
        const draw = mountSample(sampleHost.current)
        setPaint(() => draw)
      }
    })
    return () => {
      live = false
    }
  }, [])
  // Only valid values reach the sample, so a half-typed colour does not blank it.
  const shown = Object.fromEntries(
    Object.entries(theme).filter(([key, value]) =>
      COLOURS.includes(key as FormColour) ? HEX.test(value) : true,
    ),
  ) as Theme
  const shownKey = JSON.stringify(shown)
  useEffect(() => paint?.(shown, lang), [paint, shownKey, lang])

  const set = (key: keyof Theme, value: string) => {
    setSaved(false)
    setDraft((current) => ({ ...current, [key]: value }))
  }

  const save = async (event: Event) => {
    event.preventDefault()
    setSaving(true)
    setError(null)
    setSaved(false)
    try {
      const answer = await api<Site>(path, { method: 'PUT', body: siteInput(site, theme) })
      setDraft({ ...answer.theme })
      setSaved(true)
    } catch (caught) {
      setError(caught)
    } finally {
      setSaving(false)
    }
  }

  const fieldError = (key: keyof Theme) => {
    const message = fieldErrors.get(key)
    return message ? (
      <span class="field-error" id={`theme-${key}-error`}>
        {message}
      </span>
    ) : null
  }
  const described = (key: keyof Theme, hint?: string) =>
    [hint, fieldErrors.has(key) ? `theme-${key}-error` : ''].filter(Boolean).join(' ') || undefined

  return (
    <form class="design-grid" onSubmit={(event) => void save(event)} noValidate>
      <div class="design-fields">
        <fieldset>
          <legend>{t.colours}</legend>
          {COLOURS.map((key) => {
            const value = draft[key] ?? ''
            const picked = HEX.test(value) ? value.toLowerCase() : FORM_COLOUR_DEFAULTS[key]
            return (
              <div class="colour-row" key={key}>
                <label for={`theme-${key}`}>{n[key]}</label>
                <input
                  type="color"
                  value={picked}
                  aria-label={t.picker(n[key])}
                  onInput={(event) => set(key, event.currentTarget.value)}
                />
                <input
                  id={`theme-${key}`}
                  type="text"
                  value={value}
                  placeholder={FORM_COLOUR_DEFAULTS[key]}
                  maxLength={7}
                  spellcheck={false}
                  autoComplete="off"
                  aria-invalid={fieldErrors.has(key) || undefined}
                  aria-describedby={described(key, `theme-${key}-hint`)}
                  onInput={(event) => set(key, event.currentTarget.value)}
                />
                <span class="hint" id={`theme-${key}-hint`}>
                  {t.default(FORM_COLOUR_DEFAULTS[key])}
                </span>
                {fieldError(key)}
              </div>
            )
          })}
        </fieldset>
        <fieldset>
          <legend>{t.shape}</legend>
          {(
            [
              ['radius', t.radiusHint, '6px'],
              ['width', t.widthHint, '30em'],
              ['font', t.fontHint, ''],
            ] as const
          ).map(([key, hint, placeholder]) => (
            <div class="length-row" key={key}>
              <label for={`theme-${key}`}>{n[key]}</label>
              <input
                id={`theme-${key}`}
                type="text"
                value={draft[key] ?? ''}
                placeholder={placeholder}
                maxLength={key === 'font' ? 300 : 10}
                spellcheck={false}
                autoComplete="off"
                aria-invalid={fieldErrors.has(key) || undefined}
                aria-describedby={described(key, `theme-${key}-hint`)}
                onInput={(event) => set(key, event.currentTarget.value)}
              />
              <span class="hint" id={`theme-${key}-hint`}>
                {hint}
              </span>
              {fieldError(key)}
            </div>
          ))}
        </fieldset>
      </div>
      <div class="design-side">
        <section aria-labelledby="contrast-heading">
          <h2 id="contrast-heading">{t.contrast}</h2>
          <ul class="contrast-list">
            {checks.map((check) => {
              const pair = t.on(n[check.fore], n[check.back])
              const ratio = formatRatio(check.ratio)
              const needs = formatRatio(check.needs)
              return (
                <li key={pair} class={check.ok ? 'ok' : 'low'}>
                  {check.ok ? (
                    <>
                      <span aria-hidden="true">✓ </span>
                      {t.contrastOk(pair, ratio, needs)}
                    </>
                  ) : (
                    <strong>
                      <span aria-hidden="true">⚠ </span>
                      <span class="visually-hidden">{t.warning}: </span>
                      {t.contrastLow(pair, ratio, needs)}
                    </strong>
                  )}
                </li>
              )
            })}
          </ul>
        </section>
        <section aria-labelledby="sample-heading">
          <h2 id="sample-heading">{t.sample}</h2>
          <div class="sample" ref={sampleHost} />
        </section>
      </div>
      <div class="design-actions">
        {error !== null && <ErrorNote error={error} />}
        <div aria-live="polite">{saved && <p class="notice">{t.saved}</p>}</div>
        <button type="submit" disabled={saving} aria-busy={saving}>
          {saving ? t.saving : t.save}
        </button>{' '}
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setSaved(false)
            setDraft({})
          }}
        >
          {t.reset}
        </button>
      </div>
    </form>
  )
}
