import { useEffect, useRef, useState } from 'preact/hooks'
import type { AllowedOrigins, Install as InstallCheck } from '../../../shared/install'
import { api } from '../api'
import { CopyBlock } from '../components/copy-block'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import './install.css'

/**
 * Install (docs/app.md#install): the snippet and each form's placeholder to copy, and the
 * installation check: which allowed origins sent a page view, which origins were refused (the
 * usual mistake, with one click to allow one), and the last events received.
 */
const TEXTS = defineTexts({
  title: { de: 'Einbau', en: 'Install' },
  snippetTitle: { de: 'Das Skript', en: 'The script' },
  snippetHelp: {
    de: 'Fügen Sie diese Zeile in jede Seite der Website ein, am besten in den <head>.',
    en: 'Paste this line into every page of the site, best in the <head>.',
  },
  snippetLabel: { de: 'Skript-Tag', en: 'Script tag' },
  snippetWhat: { de: 'Skript-Tag', en: 'script tag' },
  formsTitle: { de: 'Die Formulare', en: 'The forms' },
  formsHelp: {
    de: 'Setzen Sie den Platzhalter eines Formulars an die Stelle der Seite, an der es erscheinen soll.',
    en: "Put a form's placeholder where the form should appear on the page.",
  },
  noForms: { de: 'Die Website hat noch keine Formulare.', en: 'The site has no forms yet.' },
  placeholderLabel: {
    de: (title: string) => `Platzhalter von „${title}“`,
    en: (title: string) => `Placeholder of “${title}”`,
  },
  placeholderWhat: {
    de: (title: string) => `Platzhalter von „${title}“`,
    en: (title: string) => `placeholder of “${title}”`,
  },
  checkTitle: { de: 'Einbau prüfen', en: 'Installation check' },
  checkAgain: { de: 'Erneut prüfen', en: 'Check again' },
  checkedAt: {
    de: (time: string) =>
      `Zuletzt geprüft: ${time}. Prüft alle 15 Sekunden neu, solange diese Seite offen ist.`,
    en: (time: string) =>
      `Last checked: ${time}. Checks again every 15 seconds while this page is open.`,
  },
  originsTitle: { de: 'Erlaubte Herkünfte', en: 'Allowed origins' },
  firstView: {
    de: (time: string) => `Erster Seitenaufruf empfangen: ${time}`,
    en: (time: string) => `First page view received ${time}`,
  },
  lastEvent: {
    de: (time: string) => `letztes Ereignis ${time}`,
    en: (time: string) => `last event ${time}`,
  },
  noView: { de: 'Noch kein Seitenaufruf.', en: 'No page view yet.' },
  noViewHelp: {
    de: (origin: string) =>
      `Fügen Sie das Skript in eine Seite auf ${origin} ein und öffnen Sie sie; der Aufruf erscheint hier binnen Sekunden.`,
    en: (origin: string) =>
      `Paste the script into a page on ${origin} and open it; the view shows here within seconds.`,
  },
  refusedTitle: { de: 'Abgewiesene Herkünfte', en: 'Refused origins' },
  refusedNone: {
    de: 'Keine Seite einer nicht erlaubten Herkunft hat das Widget angefragt.',
    en: 'No page on an origin that is not allowed asked for the widget.',
  },
  refused: {
    de: (origin: string, count: number, shown: string, ago: string) =>
      `Seiten auf ${origin} haben das Widget ${count === 1 ? 'einmal' : `${shown}-mal`} zu laden versucht (zuletzt ${ago}), aber diese Herkunft ist nicht erlaubt.`,
    en: (origin: string, count: number, shown: string, ago: string) =>
      `Pages on ${origin} tried to load the widget ${count === 1 ? 'once' : `${shown} times`} (last ${ago}) but that origin is not allowed.`,
  },
  allow: { de: 'Diese Herkunft erlauben', en: 'Allow this origin' },
  allowed: {
    de: (origin: string) =>
      `${origin} ist jetzt erlaubt. Laden Sie die Seite dort neu, dann erscheint das Formular.`,
    en: (origin: string) => `${origin} is allowed now. Reload the page there and the form appears.`,
  },
  eventsTitle: { de: 'Letzte Ereignisse', en: 'Last events' },
  eventsNone: { de: 'Noch keine Ereignisse empfangen.', en: 'No events received yet.' },
  type: { de: 'Art', en: 'Type' },
  path: { de: 'Pfad', en: 'Path' },
  origin: { de: 'Herkunft', en: 'Origin' },
  form: { de: 'Formular', en: 'Form' },
  time: { de: 'Empfangen', en: 'Received' },
})

const EVENT_NAMES: Record<string, { de: string; en: string }> = {
  page_view: { de: 'Seitenaufruf', en: 'Page view' },
  form_view: { de: 'Formular gesehen', en: 'Form viewed' },
  form_start: { de: 'Formular begonnen', en: 'Form started' },
  form_submit: { de: 'Formular gesendet', en: 'Form submitted' },
  download: { de: 'Download', en: 'Download' },
  cta_click: { de: 'Klick auf Handlungsaufruf', en: 'Call-to-action click' },
  engaged_time: { de: 'Aktive Zeit', en: 'Engaged time' },
}

/** The check reloads this often while the page is visible. */
const REFRESH_MS = 15_000

export function Install({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const base = `/v1/admin/sites/${encodeURIComponent(siteKey)}`
  const [checkedAt, setCheckedAt] = useState<Date | null>(null)
  const [check, reload] = useLoad(
    async (signal) => {
      const value = await api<InstallCheck>(`${base}/install`, { signal })
      setCheckedAt(new Date())
      return value
    },
    [siteKey],
  )

  useEffect(() => {
    // Only while someone can see it: a tab in the background asks nothing.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload()
    }, REFRESH_MS)
    const onVisible = () => document.visibilityState === 'visible' && reload()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [siteKey])

  return (
    <div class="install">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <Loaded value={check} onRetry={reload}>
        {(value) => (
          <>
            <section aria-labelledby="install-snippet">
              <h2 id="install-snippet">{t.snippetTitle}</h2>
              <p>{t.snippetHelp}</p>
              <CopyBlock code={value.snippet} label={t.snippetLabel} what={t.snippetWhat} />
            </section>
            <section aria-labelledby="install-forms">
              <h2 id="install-forms">{t.formsTitle}</h2>
              {value.forms.length ? (
                <>
                  <p>{t.formsHelp}</p>
                  {value.forms.map((form) => (
                    <div key={form.formId}>
                      <h3>
                        {form.title} <span class="hint">({form.formId})</span>
                      </h3>
                      <CopyBlock
                        code={form.placeholder}
                        label={t.placeholderLabel(form.title)}
                        what={t.placeholderWhat(form.title)}
                      />
                    </div>
                  ))}
                </>
              ) : (
                <p>{t.noForms}</p>
              )}
            </section>
            <Check value={value} checkedAt={checkedAt} onCheck={reload} base={base} />
          </>
        )}
      </Loaded>
    </div>
  )
}

function Check({
  value,
  checkedAt,
  onCheck,
  base,
}: {
  value: InstallCheck
  checkedAt: Date | null
  onCheck: () => void
  base: string
}) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const lang = useLang()
  const ago = useAgo()
  const [allowing, setAllowing] = useState<string | null>(null)
  const [allowed, setAllowed] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const notice = useRef<HTMLDivElement>(null)
  // The button pressed leaves with its warning: the focus goes to what happened instead.
  useEffect(() => {
    if (allowed) notice.current?.focus()
  }, [allowed])

  const allow = async (origin: string) => {
    setAllowing(origin)
    setError(null)
    setAllowed(null)
    try {
      await api<AllowedOrigins>(`${base}/origins`, { method: 'POST', body: { origin } })
      setAllowed(origin)
      onCheck()
    } catch (failure) {
      setError(failure)
    } finally {
      setAllowing(null)
    }
  }

  return (
    <section aria-labelledby="install-check">
      <h2 id="install-check">{t.checkTitle}</h2>
      <div class="toolbar">
        <button type="button" onClick={onCheck}>
          {t.checkAgain}
        </button>
        {checkedAt && <p class="hint">{t.checkedAt(f.dateTime(checkedAt.toISOString()))}</p>}
      </div>

      <h3>{t.originsTitle}</h3>
      <ul class="install-origins">
        {value.origins.map((entry) => (
          <li key={entry.origin} class={entry.firstPageViewAt ? 'install-ok' : 'install-waiting'}>
            <strong>{entry.origin}</strong>:{' '}
            {entry.firstPageViewAt ? (
              <>
                {t.firstView(f.dateTime(entry.firstPageViewAt))}
                {entry.lastEventAt && <>, {t.lastEvent(ago(entry.lastEventAt))}</>}.
              </>
            ) : (
              <>
                {t.noView} <span class="hint">{t.noViewHelp(entry.origin)}</span>
              </>
            )}
          </li>
        ))}
      </ul>

      <h3>{t.refusedTitle}</h3>
      <div role="status" aria-live="polite" tabIndex={-1} ref={notice}>
        {allowed && <p class="notice">{t.allowed(allowed)}</p>}
      </div>
      {error != null && <ErrorNote error={error} />}
      {value.refused.length ? (
        <ul class="install-refused">
          {value.refused.map((entry) => (
            <li key={entry.origin} class="install-warning">
              <p>
                {t.refused(entry.origin, entry.count, f.integer(entry.count), ago(entry.lastAt))}
              </p>
              <button
                type="button"
                disabled={allowing !== null}
                onClick={() => void allow(entry.origin)}
              >
                {t.allow}
                <span class="visually-hidden"> {entry.origin}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t.refusedNone}</p>
      )}

      <h3 id="install-events">{t.eventsTitle}</h3>
      {value.lastEvents.length ? (
        <div class="table-wrap" role="region" aria-labelledby="install-events" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.type}</th>
                <th scope="col">{t.path}</th>
                <th scope="col">{t.origin}</th>
                <th scope="col">{t.form}</th>
                <th scope="col">{t.time}</th>
              </tr>
            </thead>
            <tbody>
              {value.lastEvents.map((event, i) => (
                <tr key={i}>
                  <td>{EVENT_NAMES[event.type]?.[lang] ?? event.type}</td>
                  <td>{event.path}</td>
                  <td>{event.origin}</td>
                  <td>{event.formId ?? '–'}</td>
                  <td>{f.dateTime(event.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t.eventsNone}</p>
      )}
    </section>
  )
}

/** "3 minutes ago" in the reader's language. */
function useAgo() {
  const { locale } = useFormats()
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  return (iso: string) => {
    const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000)
    const abs = Math.abs(seconds)
    if (abs < 60) return relative.format(0, 'second')
    if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute')
    if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour')
    return relative.format(Math.round(seconds / 86_400), 'day')
  }
}
