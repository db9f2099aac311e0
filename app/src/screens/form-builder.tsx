import type { ComponentChildren } from 'preact'
import { useLocation } from 'preact-iso'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { FormDetail, FormPreview } from '../../../shared/form'
import type { SiteDetail } from '../../../shared/site'
import { FORM_KINDS, STANDARD_FIELDS } from '../../../shared/vocabulary'
import { api, ApiError } from '../api'
import { FIELD_NAMES } from '../components/field-names'
import { useUnsavedWarning } from '../components/unsaved'
import { defineTexts, useLang, useTexts, type Lang } from '../i18n'
import { paths } from '../paths'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import {
  blankField,
  check,
  draftOf,
  FIELD_TYPES,
  FREQUENCIES,
  MOBILE_TRIGGERS,
  mobileApplies,
  moved,
  newDraft,
  newKey,
  sameForm,
  toInput,
  TRIGGERS,
  typed,
  type Draft,
  type Errors,
  type FieldDraft,
  type Texts,
} from './form-draft'
import { KIND_NAMES } from './form-words'
import './form-builder.css'

const TEXTS = defineTexts({
  titleNew: { de: 'Neues Formular', en: 'New form' },
  titleEdit: { de: (id: string) => `Formular ${id}`, en: (id: string) => `Form ${id}` },
  back: { de: 'Alle Formulare', en: 'All forms' },
  basics: { de: 'Formular', en: 'Form' },
  formId: { de: 'Kennung', en: 'Id' },
  formIdHint: {
    de: 'Steht im Platzhalter der Seite (data-lodestone-form) und in den Berichten. Kleinbuchstaben, Ziffern, - und _. Später nicht mehr änderbar.',
    en: "Goes into the page's placeholder (data-lodestone-form) and the reports. Lower-case letters, digits, - and _. It cannot change later.",
  },
  kind: { de: 'Art', en: 'Kind' },
  kindHint: {
    de: 'Die Art zählt für die Qualifizierung: Demo- und Angebotsanfragen zeigen Kaufabsicht.',
    en: 'The kind counts for qualification: demo and quote requests show buying intent.',
  },
  languages: { de: 'Sprachen', en: 'Languages' },
  languagesHint: {
    de: 'Jeder Text wird in jeder gewählten Sprache angegeben; Besucher sehen die Sprache ihrer Seite.',
    en: "Every text is given in every language chosen; visitors see their page's language.",
  },
  german: { de: 'Deutsch', en: 'German' },
  english: { de: 'Englisch', en: 'English' },
  inLang: {
    de: (what: string, lang: string) => `${what} (${lang})`,
    en: (what: string, lang: string) => `${what} (${lang})`,
  },
  title: { de: 'Überschrift', en: 'Heading' },
  description: { de: 'Beschreibung', en: 'Description' },
  fields: { de: 'Felder', en: 'Fields' },
  fieldsHint: {
    de: 'Reihenfolge ändern: „Nach oben“/„Nach unten“ oder am Griff ziehen.',
    en: 'To reorder: “Move up”/“Move down”, or drag by the handle.',
  },
  field: { de: (n: number) => `Feld ${n}`, en: (n: number) => `Field ${n}` },
  name: { de: 'Feldname', en: 'Field name' },
  nameHint: {
    de: 'Standardfelder zählen für Vollständigkeit und Scores; eigene Namen werden mit dem Lead gespeichert.',
    en: 'Standard fields count for completeness and scores; own names are stored with the lead.',
  },
  type: { de: 'Typ', en: 'Type' },
  required: { de: 'Pflichtfeld', en: 'Required' },
  label: { de: 'Beschriftung', en: 'Label' },
  help: { de: 'Hilfetext', en: 'Help text' },
  placeholder: { de: 'Platzhaltertext', en: 'Placeholder' },
  options: { de: 'Auswahlmöglichkeiten', en: 'Choices' },
  optionValue: { de: (n: number) => `Wert ${n}`, en: (n: number) => `Value ${n}` },
  optionLabel: { de: (n: number) => `Anzeige ${n}`, en: (n: number) => `Shown as ${n}` },
  addOption: { de: 'Auswahl hinzufügen', en: 'Add a choice' },
  removeOption: {
    de: (n: number) => `Auswahl ${n} entfernen`,
    en: (n: number) => `Remove choice ${n}`,
  },
  moveUp: { de: 'Nach oben', en: 'Move up' },
  moveDown: { de: 'Nach unten', en: 'Move down' },
  drag: { de: (n: number) => `Feld ${n} ziehen`, en: (n: number) => `Drag field ${n}` },
  remove: { de: 'Entfernen', en: 'Remove' },
  movedTo: {
    de: (name: string, n: number) => `${name} ist jetzt Feld ${n}.`,
    en: (name: string, n: number) => `${name} is now field ${n}.`,
  },
  addField: { de: 'Feld hinzufügen', en: 'Add a field' },
  addWhich: { de: 'Welches Feld', en: 'Which field' },
  ownField: { de: 'Eigenes Feld …', en: 'Own field …' },
  consents: { de: 'Einwilligungen', en: 'Consents' },
  consentsHint: {
    de: 'Je Zweck ein Kästchen, nie vorausgewählt. Jeder Wortlaut wird als Version gespeichert; ein geänderter Text wird eine neue Version, und jede Einwilligung belegt, welche Version gezeigt wurde.',
    en: 'One box per purpose, never ticked in advance. Every wording is stored as a version; a changed text becomes a new version, and each consent records which version was shown.',
  },
  consent: { de: (n: number) => `Einwilligung ${n}`, en: (n: number) => `Consent ${n}` },
  purpose: { de: 'Zweck', en: 'Purpose' },
  purposeHint: {
    de: 'marketing_email für Werbe-Mails (mit Double-Opt-in), tracking für die Auswertung des Besuchs, sonst ein eigener Name.',
    en: 'marketing_email for marketing mail (with double opt-in), tracking for analysing the visit, else a name of your own.',
  },
  consentText: { de: 'Text', en: 'Text' },
  consentRequired: { de: 'Nötig zum Absenden', en: 'Needed to submit' },
  addConsent: { de: 'Einwilligung hinzufügen', en: 'Add a consent' },
  versionSame: {
    de: (v: number, n: number) => `Version ${v}; ${n} Leads dieses Formulars haben sie gesehen.`,
    en: (v: number, n: number) => `Version ${v}; ${n} leads of this form saw it.`,
  },
  versionNew: {
    de: 'Geänderter Text: Beim Speichern wird er eine neue Version. Bisherige Einwilligungen bleiben bei der Version, die gezeigt wurde.',
    en: 'Changed text: saving makes it a new version. Consents given so far keep the version that was shown.',
  },
  versionFirst: {
    de: 'Neuer Text: Beim Speichern wird er als eigene Version gespeichert.',
    en: 'New text: saving stores it as a version of its own.',
  },
  versionSeen: {
    de: (list: string) => `Bisher gesehen: ${list}.`,
    en: (list: string) => `Seen so far: ${list}.`,
  },
  versionLeads: {
    de: (v: number, n: number) => `Version ${v} von ${n} Leads`,
    en: (v: number, n: number) => `version ${v} by ${n} leads`,
  },
  afterSubmit: { de: 'Nach dem Absenden', en: 'After submitting' },
  submitLabel: { de: 'Beschriftung des Knopfs', en: 'Button label' },
  thanks: { de: 'Dankestext', en: 'Thank-you text' },
  afterMessage: { de: 'Nur den Dankestext zeigen', en: 'Show the thank-you text' },
  afterDownload: {
    de: 'Dankestext und Download der Datei (Gated Content)',
    en: 'Thank-you text and the file’s download (gated content)',
  },
  assetUrl: { de: 'Adresse der Datei', en: "The file's address" },
  assetUrlHint: {
    de: 'Bleibt auf dem Server; Besucher bekommen nach dem Absenden einen Link, der nach 15 Minuten abläuft.',
    en: 'Stays on the server; visitors get a link after submitting that expires after 15 minutes.',
  },
  assetName: { de: 'Dateiname', en: 'File name' },
  display: { de: 'Anzeige', en: 'Display' },
  inline: { de: 'Im Text der Seite, am Platzhalter', en: 'In the page, at its placeholder' },
  popup: { de: 'Als Popup', en: 'As a popup' },
  trigger: { de: 'Auslöser', en: 'Trigger' },
  exit_intent: {
    de: 'Wenn der Besucher gehen will (Maus verlässt die Seite)',
    en: 'When the visitor is about to leave (pointer leaves the page)',
  },
  scroll: { de: 'Nach Scrolltiefe (%)', en: 'At a scroll depth (%)' },
  delay: { de: 'Nach einer Zeit (Sekunden)', en: 'After a delay (seconds)' },
  click: {
    de: 'Beim Klick auf ein Element (CSS-Selektor)',
    en: 'On a click on an element (CSS selector)',
  },
  triggerValue: { de: 'Wert des Auslösers', en: 'Trigger value' },
  valueHint: {
    de: 'Leer: nach der halben Seite, nach 5 Sekunden.',
    en: 'Empty: at half the page, after 5 seconds.',
  },
  maxLength: { de: 'Höchstens Zeichen', en: 'At most characters' },
  mobile: { de: 'Auf Telefonen und Tablets', en: 'On phones and tablets' },
  mobileHint: {
    de: 'Dort gibt es kein „Gehen wollen“ mit der Maus.',
    en: 'They have no pointer that leaves the page.',
  },
  same: { de: 'Wie oben', en: 'As above' },
  scroll_up: { de: 'Beim Zurückscrollen nach % Tiefe', en: 'On scrolling back up after % depth' },
  mobileValue: { de: 'Wert auf Telefonen', en: 'Value on phones' },
  frequency: { de: 'Wie oft', en: 'How often' },
  session: { de: 'Einmal je Besuch', en: 'Once per visit' },
  days: { de: 'Einmal in so vielen Tagen', en: 'Once in so many days' },
  until_submit: { de: 'Bis der Besucher es absendet', en: 'Until the visitor submits it' },
  daysValue: { de: 'Tage', en: 'Days' },
  preview: { de: 'Vorschau', en: 'Preview' },
  previewHint: {
    de: 'So zeigt das Widget das Formular mit dem Design der Website. Absenden sendet hier nichts.',
    en: "How the widget shows the form, with the site's design. Submitting here sends nothing.",
  },
  previewLang: { de: 'Vorschau in', en: 'Preview in' },
  previewWaits: {
    de: 'Die Vorschau zeigt den letzten gültigen Stand, bis die markierten Felder stimmen.',
    en: 'The preview shows the last valid state until the marked fields are right.',
  },
  save: { de: 'Speichern', en: 'Save' },
  create: { de: 'Formular anlegen', en: 'Create the form' },
  saved: { de: 'Gespeichert.', en: 'Saved.' },
  restored: {
    de: 'Ihre ungespeicherten Änderungen aus diesem Tab sind wiederhergestellt.',
    en: 'Your unsaved changes from this tab are back.',
  },
  discard: { de: 'Änderungen verwerfen', en: 'Discard the changes' },
  fix: {
    de: (n: number) =>
      n === 1 ? 'Ein Feld braucht Ihre Hilfe.' : `${n} Felder brauchen Ihre Hilfe.`,
    en: (n: number) =>
      n === 1 ? 'One field needs your attention.' : `${n} fields need your attention.`,
  },
  needed: { de: 'Bitte ausfüllen.', en: 'Please fill this in.' },
  idBad: {
    de: 'Kleinbuchstaben, Ziffern, - und _, höchstens 64 Zeichen, am Anfang ein Buchstabe oder eine Ziffer.',
    en: 'Lower-case letters, digits, - and _, at most 64 characters, starting with a letter or digit.',
  },
  nameBad: {
    de: 'Buchstaben, Ziffern und _, am Anfang ein Buchstabe, höchstens 40 Zeichen.',
    en: 'Letters, digits and _, starting with a letter, at most 40 characters.',
  },
  nameTwice: { de: 'Dieses Feld gibt es schon.', en: 'This field is there already.' },
  purposeBad: {
    de: 'Kleinbuchstaben, Ziffern, - und _.',
    en: 'Lower-case letters, digits, - and _.',
  },
  purposeTwice: { de: 'Eine Einwilligung je Zweck.', en: 'One consent per purpose.' },
  emailNeeded: {
    de: 'Ein Formular fragt immer nach der E-Mail.',
    en: 'A form always asks for email.',
  },
  optionsNeeded: { de: 'Eine Auswahl braucht Möglichkeiten.', en: 'A choice needs options.' },
  urlBad: { de: 'Eine Adresse mit https://.', en: 'An address with https://.' },
  numberBad: {
    de: 'Sekunden von 0 bis 3600, oder leer.',
    en: 'Seconds from 0 to 3600, or empty.',
  },
  percentBad: { de: 'Prozent von 0 bis 100, oder leer.', en: 'Percent from 0 to 100, or empty.' },
  lengthBad: {
    de: 'Eine ganze Zahl von 1 bis 5000, oder leer.',
    en: 'A whole number from 1 to 5000, or empty.',
  },
  allLanguages: {
    de: 'In jeder Sprache des Formulars, oder in keiner.',
    en: 'In every language of the form, or in none.',
  },
  selectorNeeded: {
    de: 'Ein CSS-Selektor, etwa #demo-button.',
    en: 'A CSS selector, such as #demo-button.',
  },
  daysBad: {
    de: 'Eine ganze Zahl von 1 bis 365, oder leer für einen Tag.',
    en: 'A whole number from 1 to 365, or empty for one day.',
  },
  languagesNeeded: { de: 'Mindestens eine Sprache.', en: 'At least one language.' },
})

const NEW = '_new'
const draftKey = (siteKey: string, formId: string) => `lodestone.formDraft.${siteKey}.${formId}`

/** The draft kept in this tab's sessionStorage, so a reload or a crash loses nothing. */
function readKept(key: string): Draft | null {
  try {
    const text = sessionStorage.getItem(key)
    if (!text) return null
    const kept = JSON.parse(text) as Draft
    // a draft kept before a field setting existed gets it empty
    return {
      ...kept,
      fields: kept.fields.map((field) => ({ ...field, maxLength: field.maxLength ?? '' })),
    }
  } catch {
    return null
  }
}
function keep(key: string, draft: Draft | null) {
  try {
    if (draft) sessionStorage.setItem(key, JSON.stringify(draft))
    else sessionStorage.removeItem(key)
  } catch {
    // storage full or blocked: the beforeunload question still guards the changes
  }
}

/** `/app/<siteKey>/forms/<formId>` and `/forms/_new`: the form builder (docs/app.md#forms). */
export function FormBuilder({ siteKey, formId }: { siteKey: string; formId: string }) {
  const t = useTexts(TEXTS)
  const base = `/v1/admin/sites/${encodeURIComponent(siteKey)}`
  const [loaded, reload] = useLoad(
    async (signal) => {
      const site = await api<SiteDetail>(base, { signal })
      const form =
        formId === NEW
          ? null
          : await api<FormDetail>(`${base}/forms/${encodeURIComponent(formId)}`, { signal })
      return { site, form }
    },
    [base, formId],
  )
  return (
    <>
      <p>
        <a href={paths.forms(siteKey)}>← {t.back}</a>
      </p>
      <PageTitle title={formId === NEW ? t.titleNew : t.titleEdit(formId)}>
        {formId === NEW ? t.titleNew : t.titleEdit(formId)}
      </PageTitle>
      <Loaded value={loaded} onRetry={reload}>
        {({ site, form }) => <Editor key={formId} site={site} form={form} onSaved={reload} />}
      </Loaded>
    </>
  )
}

function Editor({
  site,
  form,
  onSaved,
}: {
  site: SiteDetail
  form: FormDetail | null
  /** Reads the form again: its consent wordings now include any the save stored. */
  onSaved: () => void
}) {
  const t = useTexts(TEXTS)
  const kinds = useTexts(KIND_NAMES)
  const lang = useLang()
  const { route } = useLocation()
  const creating = form === null
  const storeKey = draftKey(site.siteKey, form?.formId ?? NEW)
  const [initial, setInitial] = useState<Draft>(() =>
    form ? draftOf(form) : newDraft(site.locale, FIELD_NAMES.email),
  )
  const [kept] = useState(() => readKept(storeKey))
  const [draft, setDraft] = useState<Draft>(kept ?? initial)
  const [restored, setRestored] = useState(kept !== null)
  /** After the first save: the browser's checks are shown as one types. */
  const [tried, setTried] = useState(false)
  /** What the API found in the last save, until the next change. */
  const [refused, setRefused] = useState<Errors>({})
  const [failure, setFailure] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const [focusRound, setFocusRound] = useState(0)
  const [announce, setAnnounce] = useState('')
  const formRef = useRef<HTMLFormElement>(null)
  const dirty = useMemo(() => !sameForm(draft, initial), [draft, initial])
  useUnsavedWarning(dirty && !busy)

  useEffect(() => keep(storeKey, dirty ? draft : null), [draft, dirty, storeKey])
  useEffect(() => {
    if (focusRound) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [focusRound])

  const live = useMemo(() => check(draft, t, creating), [draft, lang])
  const errors = useMemo(() => (tried ? { ...refused, ...live } : refused), [tried, refused, live])

  const change = (patch: Partial<Draft>) => {
    setSaved(false)
    setRefused({})
    setDraft((previous) => ({ ...previous, ...patch }))
  }
  const changeField = (i: number, patch: Partial<FieldDraft>) =>
    change({ fields: draft.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) })
  /** The Move button to focus after a move by keyboard: the other one where this one ran out. */
  const [moveFocus, setMoveFocus] = useState<string | null>(null)
  useEffect(() => {
    if (!moveFocus) return
    const [key, way] = moveFocus.split(' ')
    const button = (w: string) =>
      formRef.current?.querySelector<HTMLButtonElement>(`[data-move="${key} ${w}"]`)
    const wanted = button(way!)
    ;(wanted && !wanted.disabled ? wanted : button(way === 'up' ? 'down' : 'up'))?.focus()
    setMoveFocus(null)
  }, [moveFocus])
  const moveField = (from: number, to: number, byButton = false) => {
    if (to < 0 || to >= draft.fields.length || from === to) return
    const field = draft.fields[from]!
    change({ fields: moved(draft.fields, from, to) })
    setAnnounce(t.movedTo(field.name, to + 1))
    if (byButton) setMoveFocus(`${field.key} ${to < from ? 'up' : 'down'}`)
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    setFailure(null)
    setSaved(false)
    setTried(true)
    setRefused({})
    if (Object.keys(live).length) return setFocusRound((n) => n + 1)
    setBusy(true)
    try {
      const formId = creating ? draft.formId : form.formId
      await api(`/v1/admin/sites/${encodeURIComponent(site.siteKey)}/forms/${formId}`, {
        method: 'PUT',
        body: toInput(draft),
      })
      keep(storeKey, null)
      setRestored(false)
      if (creating) return route(paths.form(site.siteKey, formId))
      setInitial(draft)
      setSaved(true)
      onSaved()
    } catch (caught) {
      const fromApi: Errors = {}
      if (caught instanceof ApiError)
        for (const { path, message } of caught.problem.errors ?? []) fromApi[path] = message
      if (Object.keys(fromApi).length) {
        setRefused(fromApi)
        setFocusRound((n) => n + 1)
      } else setFailure(caught)
    } finally {
      setBusy(false)
    }
  }

  const idOf = (path: string) => `fb-${path.replace(/\./g, '-')}`
  const attrs = (path: string, hint?: string) => ({
    id: idOf(path),
    'aria-invalid': errors[path] ? (true as const) : undefined,
    'aria-describedby':
      [errors[path] ? `${idOf(path)}-error` : '', hint ?? ''].filter(Boolean).join(' ') ||
      undefined,
  })
  const errorOf = (path: string) =>
    errors[path] ? (
      <p class="field-error" id={`${idOf(path)}-error`}>
        {errors[path]}
      </p>
    ) : null
  const langName = (l: Lang) => (l === 'de' ? t.german : t.english)

  /** The API's bound on the text at `path` (`shared/form.ts`), by its last name. */
  const boundOf = (path: string) =>
    ({ description: 2000, help: 500, submitLabel: 100, thanks: 300 })[
      path.split('.').pop() as string
    ] ?? 200

  /** One input per language of the form for a text at `path`. */
  const textInputs = (
    path: string,
    label: string,
    value: Texts,
    set: (value: Texts) => void,
    multiline = false,
    hint?: string,
  ) =>
    draft.locales.map((l) => {
      const at = `${path}.${l}`
      const props = {
        ...attrs(at, hint),
        value: value[l] ?? '',
        maxLength: boundOf(path),
        onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
          set({ ...value, [l]: e.currentTarget.value }),
      }
      return (
        <div class="field" key={at}>
          <label for={idOf(at)}>
            {draft.locales.length > 1 ? t.inLang(label, langName(l)) : label}
          </label>
          {multiline ? <textarea rows={3} {...props} /> : <input {...props} />}
          {errorOf(at)}
        </div>
      )
    })

  const errorCount = Object.keys(errors).length
  return (
    <div class="form-builder">
      <form ref={formRef} noValidate onSubmit={(event) => void submit(event)}>
        {restored && (
          <div class="notice" role="status">
            <p>{t.restored}</p>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                keep(storeKey, null)
                setDraft(initial)
                setRestored(false)
              }}
            >
              {t.discard}
            </button>
          </div>
        )}
        {errorCount > 0 && (
          <div class="error-note" role="alert">
            <p>{t.fix(errorCount)}</p>
            <ul>
              {Object.entries(errors).map(([path, message]) => (
                <li key={path}>
                  <a href={`#${idOf(path)}`}>{message}</a>
                </li>
              ))}
            </ul>
          </div>
        )}
        <fieldset>
          <legend>{t.basics}</legend>
          {creating && (
            <div class="field">
              <label for={idOf('formId')}>{t.formId}</label>
              <input
                {...attrs('formId', 'fb-formId-hint')}
                value={draft.formId}
                maxLength={64}
                autoComplete="off"
                spellcheck={false}
                onInput={(e) => change({ formId: e.currentTarget.value.trim() })}
              />
              {errorOf('formId')}
              <p class="hint" id="fb-formId-hint">
                {t.formIdHint}
              </p>
            </div>
          )}
          <div class="field">
            <label for={idOf('kind')}>{t.kind}</label>
            <select
              {...attrs('kind', 'fb-kind-hint')}
              value={draft.kind}
              onChange={(e) => change({ kind: e.currentTarget.value as Draft['kind'] })}
            >
              {FORM_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {kinds[kind]}
                </option>
              ))}
            </select>
            <p class="hint" id="fb-kind-hint">
              {t.kindHint}
            </p>
          </div>
          <fieldset
            class="inline-choices"
            id={idOf('locales')}
            tabIndex={-1}
            aria-describedby="fb-locales-hint"
          >
            <legend>{t.languages}</legend>
            {(['de', 'en'] as const).map((l) => (
              <label class="inline" key={l}>
                <input
                  type="checkbox"
                  checked={draft.locales.includes(l)}
                  onChange={(e) =>
                    change({
                      locales: e.currentTarget.checked
                        ? (['de', 'en'] as const).filter(
                            (x) => x === l || draft.locales.includes(x),
                          )
                        : draft.locales.filter((x) => x !== l),
                    })
                  }
                />
                {langName(l)}
              </label>
            ))}
            {errorOf('locales')}
            <p class="hint" id="fb-locales-hint">
              {t.languagesHint}
            </p>
          </fieldset>
          {textInputs('title', t.title, draft.title, (title) => change({ title }))}
          {textInputs(
            'description',
            t.description,
            draft.description,
            (description) => change({ description }),
            true,
          )}
        </fieldset>

        <fieldset id={idOf('fields')} tabIndex={-1} aria-describedby="fb-fields-hint">
          <legend>{t.fields}</legend>
          <p class="hint" id="fb-fields-hint">
            {t.fieldsHint}
          </p>
          {errorOf('fields')}
          <FieldList draft={draft} moveField={moveField}>
            {(field, i) => (
              <>
                <div class="field-head">
                  <h2>
                    {t.field(i + 1)}: {field.name}
                  </h2>
                  <button
                    type="button"
                    class="secondary"
                    disabled={i === 0}
                    data-move={`${field.key} up`}
                    aria-label={`${t.moveUp}: ${field.name}`}
                    onClick={() => moveField(i, i - 1, true)}
                  >
                    {t.moveUp}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={i === draft.fields.length - 1}
                    data-move={`${field.key} down`}
                    aria-label={`${t.moveDown}: ${field.name}`}
                    onClick={() => moveField(i, i + 1, true)}
                  >
                    {t.moveDown}
                  </button>
                  {field.name !== 'email' && (
                    <button
                      type="button"
                      class="secondary"
                      aria-label={`${t.remove}: ${field.name}`}
                      onClick={() => change({ fields: draft.fields.filter((_, j) => j !== i) })}
                    >
                      {t.remove}
                    </button>
                  )}
                </div>
                <div class="field-grid">
                  <div class="field">
                    <label for={idOf(`fields.${i}.name`)}>{t.name}</label>
                    <input
                      {...attrs(`fields.${i}.name`)}
                      value={field.name}
                      maxLength={40}
                      spellcheck={false}
                      readOnly={field.name === 'email'}
                      onInput={(e) => changeField(i, { name: e.currentTarget.value.trim() })}
                    />
                    {errorOf(`fields.${i}.name`)}
                  </div>
                  <div class="field">
                    <label for={idOf(`fields.${i}.type`)}>{t.type}</label>
                    <select
                      {...attrs(`fields.${i}.type`)}
                      value={field.type}
                      onChange={(e) =>
                        changeField(i, { type: e.currentTarget.value as FieldDraft['type'] })
                      }
                    >
                      {FIELD_TYPES.map((type) => (
                        <option key={type} value={type}>
                          {type}
                        </option>
                      ))}
                    </select>
                  </div>
                  <label class="inline">
                    <input
                      type="checkbox"
                      checked={field.required}
                      disabled={field.name === 'email'}
                      onChange={(e) => changeField(i, { required: e.currentTarget.checked })}
                    />
                    {t.required}
                  </label>
                </div>
                {textInputs(`fields.${i}.label`, t.label, field.label, (label) =>
                  changeField(i, { label }),
                )}
                {textInputs(`fields.${i}.help`, t.help, field.help, (help) =>
                  changeField(i, { help }),
                )}
                {typed(field.type) &&
                  textInputs(`fields.${i}.placeholder`, t.placeholder, field.placeholder, (p) =>
                    changeField(i, { placeholder: p }),
                  )}
                {typed(field.type) && (
                  <div class="field">
                    <label for={idOf(`fields.${i}.maxLength`)}>{t.maxLength}</label>
                    <input
                      {...attrs(`fields.${i}.maxLength`)}
                      value={field.maxLength}
                      maxLength={4}
                      inputMode="numeric"
                      onInput={(e) => changeField(i, { maxLength: e.currentTarget.value.trim() })}
                    />
                    {errorOf(`fields.${i}.maxLength`)}
                  </div>
                )}
                {field.type === 'select' && (
                  <fieldset id={idOf(`fields.${i}.options`)} tabIndex={-1}>
                    <legend>{t.options}</legend>
                    {errorOf(`fields.${i}.options`)}
                    {field.options.map((option, j) => (
                      <div class="option-row" key={j}>
                        <div class="field">
                          <label for={idOf(`fields.${i}.options.${j}.value`)}>
                            {t.optionValue(j + 1)}
                          </label>
                          <input
                            {...attrs(`fields.${i}.options.${j}.value`)}
                            value={option.value}
                            onInput={(e) =>
                              changeField(i, {
                                options: field.options.map((o, k) =>
                                  k === j ? { ...o, value: e.currentTarget.value } : o,
                                ),
                              })
                            }
                          />
                          {errorOf(`fields.${i}.options.${j}.value`)}
                        </div>
                        {textInputs(
                          `fields.${i}.options.${j}.label`,
                          t.optionLabel(j + 1),
                          option.label,
                          (label) =>
                            changeField(i, {
                              options: field.options.map((o, k) => (k === j ? { ...o, label } : o)),
                            }),
                        )}
                        <button
                          type="button"
                          class="secondary"
                          onClick={() =>
                            changeField(i, { options: field.options.filter((_, k) => k !== j) })
                          }
                        >
                          {t.removeOption(j + 1)}
                        </button>
                      </div>
                    ))}
                    <button
                      type="button"
                      class="secondary"
                      disabled={field.options.length >= 50}
                      onClick={() =>
                        changeField(i, { options: [...field.options, { value: '', label: {} }] })
                      }
                    >
                      {t.addOption}
                    </button>
                  </fieldset>
                )}
              </>
            )}
          </FieldList>
          <p class="visually-hidden" role="status">
            {announce}
          </p>
          <AddField
            draft={draft}
            onAdd={(field) => {
              change({ fields: [...draft.fields, field] })
              requestAnimationFrame(() =>
                document
                  .getElementById(idOf(`fields.${draft.fields.length}.label.${draft.locales[0]}`))
                  ?.focus(),
              )
            }}
          />
        </fieldset>

        <fieldset aria-describedby="fb-consents-hint">
          <legend>{t.consents}</legend>
          <p class="hint" id="fb-consents-hint">
            {t.consentsHint}
          </p>
          {draft.consents.map((consent, i) => {
            const history = (form?.consentHistory ?? []).filter(
              (h) => h.purpose === consent.purpose,
            )
            return (
              <div class="consent card" key={consent.key}>
                <div class="field-head">
                  <h2>{t.consent(i + 1)}</h2>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`${t.remove}: ${t.consent(i + 1)}`}
                    onClick={() => change({ consents: draft.consents.filter((_, j) => j !== i) })}
                  >
                    {t.remove}
                  </button>
                </div>
                <div class="field">
                  <label for={idOf(`consents.${i}.purpose`)}>{t.purpose}</label>
                  <input
                    {...attrs(`consents.${i}.purpose`, `fb-consents-${i}-purpose-hint`)}
                    value={consent.purpose}
                    list="fb-purposes"
                    maxLength={64}
                    spellcheck={false}
                    onInput={(e) =>
                      change({
                        consents: draft.consents.map((c, j) =>
                          j === i ? { ...c, purpose: e.currentTarget.value.trim() } : c,
                        ),
                      })
                    }
                  />
                  {errorOf(`consents.${i}.purpose`)}
                  <p class="hint" id={`fb-consents-${i}-purpose-hint`}>
                    {t.purposeHint}
                  </p>
                </div>
                {draft.locales.map((l) => {
                  const text = consent.text[l]?.trim() ?? ''
                  const same = history.find((h) => h.text === text)
                  const note = !text
                    ? null
                    : same
                      ? t.versionSame(same.version, same.leads)
                      : !history.length
                        ? t.versionFirst
                        : [
                            t.versionNew,
                            history.length
                              ? t.versionSeen(
                                  history.map((h) => t.versionLeads(h.version, h.leads)).join(', '),
                                )
                              : '',
                          ].join(' ')
                  const at = `consents.${i}.text.${l}`
                  const noteId = `fb-consents-${i}-version-${l}`
                  return (
                    <div class="field" key={l}>
                      <label for={idOf(at)}>
                        {draft.locales.length > 1
                          ? t.inLang(t.consentText, langName(l))
                          : t.consentText}
                      </label>
                      <textarea
                        rows={3}
                        {...attrs(at, note ? noteId : undefined)}
                        value={consent.text[l] ?? ''}
                        maxLength={4000}
                        onInput={(e) => {
                          const value = e.currentTarget.value
                          change({
                            consents: draft.consents.map((c, j) =>
                              j === i ? { ...c, text: { ...c.text, [l]: value } } : c,
                            ),
                          })
                        }}
                      />
                      {errorOf(at)}
                      {note && (
                        <p class={same ? 'hint' : 'hint version-new'} id={noteId}>
                          {note}
                        </p>
                      )}
                    </div>
                  )
                })}
                <label class="inline">
                  <input
                    type="checkbox"
                    checked={consent.required}
                    onChange={(e) =>
                      change({
                        consents: draft.consents.map((c, j) =>
                          j === i ? { ...c, required: e.currentTarget.checked } : c,
                        ),
                      })
                    }
                  />
                  {t.consentRequired}
                </label>
              </div>
            )
          })}
          <datalist id="fb-purposes">
            <option value="marketing_email" />
            <option value="tracking" />
          </datalist>
          <button
            type="button"
            class="secondary"
            disabled={draft.consents.length >= 10}
            onClick={() => {
              const used = draft.consents.map((c) => c.purpose)
              const purpose = ['marketing_email', 'tracking'].find((p) => !used.includes(p)) ?? ''
              change({
                consents: [
                  ...draft.consents,
                  { key: newKey(), purpose, required: false, text: {} },
                ],
              })
              requestAnimationFrame(() =>
                document
                  .getElementById(
                    idOf(`consents.${draft.consents.length}.text.${draft.locales[0]}`),
                  )
                  ?.focus(),
              )
            }}
          >
            {t.addConsent}
          </button>
        </fieldset>

        <fieldset>
          <legend>{t.afterSubmit}</legend>
          {textInputs('submitLabel', t.submitLabel, draft.submitLabel, (submitLabel) =>
            change({ submitLabel }),
          )}
          {textInputs('thanks', t.thanks, draft.thanks, (thanks) => change({ thanks }))}
          {(['message', 'download'] as const).map((after) => (
            <label class="inline" key={after}>
              <input
                type="radio"
                name="fb-after"
                checked={draft.after === after}
                onChange={() => change({ after })}
              />
              {after === 'message' ? t.afterMessage : t.afterDownload}
            </label>
          ))}
          {draft.after === 'download' && (
            <>
              <div class="field">
                <label for={idOf('asset.url')}>{t.assetUrl}</label>
                <input
                  {...attrs('asset.url', 'fb-asset-hint')}
                  type="url"
                  value={draft.assetUrl}
                  maxLength={2048}
                  onInput={(e) => change({ assetUrl: e.currentTarget.value })}
                />
                {errorOf('asset.url')}
                <p class="hint" id="fb-asset-hint">
                  {t.assetUrlHint}
                </p>
              </div>
              <div class="field">
                <label for={idOf('asset.filename')}>{t.assetName}</label>
                <input
                  {...attrs('asset.filename')}
                  value={draft.assetName}
                  maxLength={200}
                  onInput={(e) => change({ assetName: e.currentTarget.value })}
                />
                {errorOf('asset.filename')}
              </div>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>{t.display}</legend>
          {(['inline', 'popup'] as const).map((display) => (
            <label class="inline" key={display}>
              <input
                type="radio"
                name="fb-display"
                checked={draft.display === display}
                onChange={() => change({ display })}
              />
              {t[display]}
            </label>
          ))}
          {draft.display === 'popup' && (
            <div class="field-grid">
              <div class="field">
                <label for={idOf('popup.trigger')}>{t.trigger}</label>
                <select
                  {...attrs('popup.trigger')}
                  value={draft.trigger}
                  onChange={(e) => change({ trigger: e.currentTarget.value as Draft['trigger'] })}
                >
                  {TRIGGERS.map((trigger) => (
                    <option key={trigger} value={trigger}>
                      {t[trigger]}
                    </option>
                  ))}
                </select>
              </div>
              {draft.trigger !== 'exit_intent' && (
                <div class="field">
                  <label for={idOf('popup.value')}>{t.triggerValue}</label>
                  <input
                    {...attrs(
                      'popup.value',
                      draft.trigger === 'click' ? undefined : 'fb-value-hint',
                    )}
                    value={draft.triggerValue}
                    maxLength={200}
                    inputMode={draft.trigger === 'click' ? 'text' : 'decimal'}
                    onInput={(e) => change({ triggerValue: e.currentTarget.value })}
                  />
                  {errorOf('popup.value')}
                  {draft.trigger !== 'click' && (
                    <p class="hint" id="fb-value-hint">
                      {t.valueHint}
                    </p>
                  )}
                </div>
              )}
              {mobileApplies(draft) && (
                <div class="field">
                  <label for={idOf('popup.mobile.trigger')}>{t.mobile}</label>
                  <select
                    {...attrs('popup.mobile.trigger', 'fb-mobile-hint')}
                    value={draft.mobile}
                    onChange={(e) => change({ mobile: e.currentTarget.value as Draft['mobile'] })}
                  >
                    {(['same', ...MOBILE_TRIGGERS] as const).map((trigger) => (
                      <option key={trigger} value={trigger}>
                        {t[trigger]}
                      </option>
                    ))}
                  </select>
                  <p class="hint" id="fb-mobile-hint">
                    {t.mobileHint}
                  </p>
                </div>
              )}
              {mobileApplies(draft) && draft.mobile !== 'same' && (
                <div class="field">
                  <label for={idOf('popup.mobile.value')}>{t.mobileValue}</label>
                  <input
                    {...attrs('popup.mobile.value')}
                    value={draft.mobileValue}
                    maxLength={6}
                    inputMode="decimal"
                    onInput={(e) => change({ mobileValue: e.currentTarget.value })}
                  />
                  {errorOf('popup.mobile.value')}
                </div>
              )}
              <div class="field">
                <label for={idOf('popup.frequency')}>{t.frequency}</label>
                <select
                  {...attrs('popup.frequency')}
                  value={draft.frequency}
                  onChange={(e) =>
                    change({ frequency: e.currentTarget.value as Draft['frequency'] })
                  }
                >
                  {FREQUENCIES.map((frequency) => (
                    <option key={frequency} value={frequency}>
                      {t[frequency]}
                    </option>
                  ))}
                </select>
              </div>
              {draft.frequency === 'days' && (
                <div class="field">
                  <label for={idOf('popup.days')}>{t.daysValue}</label>
                  <input
                    {...attrs('popup.days')}
                    value={draft.days}
                    inputMode="numeric"
                    onInput={(e) => change({ days: e.currentTarget.value })}
                  />
                  {errorOf('popup.days')}
                </div>
              )}
            </div>
          )}
        </fieldset>

        {failure !== null && <ErrorNote error={failure} />}
        <div class="toolbar">
          <button type="submit" disabled={busy}>
            {creating ? t.create : t.save}
          </button>
          <span role="status">{saved ? t.saved : ''}</span>
        </div>
      </form>
      <Preview siteKey={site.siteKey} draft={draft} valid={Object.keys(live).length === 0} />
    </div>
  )
}

/**
 * The fields in order; each can be dragged by its handle with a pointer (mouse, pen, touch):
 * while dragging, the field under the pointer marks where it goes, and letting go moves it there.
 */
function FieldList({
  draft,
  moveField,
  children,
}: {
  draft: Draft
  moveField: (from: number, to: number) => void
  children: (field: FieldDraft, i: number) => ComponentChildren
}) {
  const t = useTexts(TEXTS)
  const list = useRef<HTMLOListElement>(null)
  const [drag, setDrag] = useState<{ from: number; over: number } | null>(null)
  const indexAt = (y: number) => {
    const items = [...(list.current?.children ?? [])] as HTMLElement[]
    const found = items.findIndex((item) => y < item.getBoundingClientRect().bottom)
    return found === -1 ? items.length - 1 : found
  }
  return (
    <ol class="field-list" ref={list}>
      {draft.fields.map((field, i) => (
        <li
          key={field.key}
          class={`card${drag?.from === i ? ' dragging' : ''}${drag && drag.over === i && drag.from !== i ? ' drop-here' : ''}`}
        >
          <span
            class="handle"
            role="img"
            aria-label={t.drag(i + 1)}
            title={t.drag(i + 1)}
            data-handle={field.name}
            onPointerDown={(e) => {
              e.preventDefault()
              e.currentTarget.setPointerCapture(e.pointerId)
              setDrag({ from: i, over: i })
            }}
            onPointerMove={(e) => drag && setDrag({ ...drag, over: indexAt(e.clientY) })}
            onPointerUp={(e) => {
              if (drag) moveField(drag.from, indexAt(e.clientY))
              setDrag(null)
            }}
            onPointerCancel={() => setDrag(null)}
          >
            ⠿
          </span>
          <div class="field-body">{children(field, i)}</div>
        </li>
      ))}
    </ol>
  )
}

function AddField({ draft, onAdd }: { draft: Draft; onAdd: (field: FieldDraft) => void }) {
  const t = useTexts(TEXTS)
  const lang = useLang()
  const free = STANDARD_FIELDS.filter((name) => !draft.fields.some((f) => f.name === name))
  const [which, setWhich] = useState('')
  const chosen = which || free[0] || 'own'
  return (
    <div class="toolbar">
      <div class="field">
        <label for="fb-add-which">{t.addWhich}</label>
        <select id="fb-add-which" value={chosen} onChange={(e) => setWhich(e.currentTarget.value)}>
          {free.map((name) => (
            <option key={name} value={name}>
              {FIELD_NAMES[name as keyof typeof FIELD_NAMES]?.[lang] ?? name}
            </option>
          ))}
          <option value="own">{t.ownField}</option>
        </select>
      </div>
      <button
        type="button"
        class="secondary"
        disabled={draft.fields.length >= 30}
        onClick={() => {
          const name = chosen === 'own' ? `field${draft.fields.length + 1}` : chosen
          const label: Texts = FIELD_NAMES[name as keyof typeof FIELD_NAMES] ?? {}
          onAdd(blankField(name, Object.fromEntries(draft.locales.map((l) => [l, label[l] ?? '']))))
          setWhich('')
        }}
      >
        {t.addField}
      </button>
    </div>
  )
}

type ChunkModule = {
  preview: (
    host: HTMLElement,
    form: FormPreview['form'],
    strings: FormPreview['texts'],
    theme?: FormPreview['theme'],
  ) => void
}

/**
 * The live preview: the draft, 300 ms after the last change, as the collector would configure
 * the widget (`POST …/preview`), rendered by the built form chunk itself into a shadow root
 * beside the editor. While the draft has mistakes, the last valid state stays.
 */
function Preview({ siteKey, draft, valid }: { siteKey: string; draft: Draft; valid: boolean }) {
  const t = useTexts(TEXTS)
  const host = useRef<HTMLDivElement>(null)
  const [locale, setLocale] = useState<Lang>(draft.locales[0] ?? 'en')
  const [failure, setFailure] = useState<unknown>(null)
  const shownLocale = draft.locales.includes(locale) ? locale : (draft.locales[0] ?? 'en')
  const body = JSON.stringify(toInput(draft))
  useEffect(() => {
    if (!valid) return
    const controller = new AbortController()
    const timer = setTimeout(async () => {
      try {
        const [answer, chunk] = await Promise.all([
          api<FormPreview>(
            `/v1/admin/sites/${encodeURIComponent(siteKey)}/forms/${draft.formId || 'preview'}/preview`,
            {
              method: 'POST',
              body: JSON.parse(body),
              query: { locale: shownLocale },
              signal: controller.signal,
            },
          ),
          import(/* @vite-ignore */ `/${__CHUNK__}`) as Promise<ChunkModule>,
        ])
        if (controller.signal.aborted || !host.current) return
        chunk.preview(host.current, answer.form, answer.texts, answer.theme)
        setFailure(null)
      } catch (error) {
        if (!controller.signal.aborted) setFailure(error)
      }
    }, 300)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [body, valid, shownLocale, siteKey])
  return (
    <section class="form-preview" aria-labelledby="fb-preview-title">
      <h2 id="fb-preview-title">{t.preview}</h2>
      <p class="hint">{t.previewHint}</p>
      {draft.locales.length > 1 && (
        <div class="field">
          <label for="fb-preview-locale">{t.previewLang}</label>
          <select
            id="fb-preview-locale"
            value={shownLocale}
            onChange={(e) => setLocale(e.currentTarget.value as Lang)}
          >
            {draft.locales.map((l) => (
              <option key={l} value={l}>
                {l === 'de' ? t.german : t.english}
              </option>
            ))}
          </select>
        </div>
      )}
      {!valid && <p class="hint">{t.previewWaits}</p>}
      {failure !== null && <ErrorNote error={failure} />}
      <div class="preview-frame" ref={host} data-preview />
    </section>
  )
}
