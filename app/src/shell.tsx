import type { ComponentChildren } from 'preact'
import { useLocation } from 'preact-iso'
import { paths } from './paths'
import { defineTexts, LANGS, LangContext, useTexts } from './i18n'
import { useSession } from './session'
import { useContext } from 'preact/hooks'

const TEXTS = defineTexts({
  skip: { de: 'Zum Inhalt', en: 'Skip to content' },
  nav: { de: 'Hauptnavigation', en: 'Main navigation' },
  dashboard: { de: 'Übersicht', en: 'Dashboard' },
  leads: { de: 'Leads', en: 'Leads' },
  campaigns: { de: 'Kampagnen', en: 'Campaigns' },
  site: { de: 'Website', en: 'Site' },
  language: { de: 'Sprache', en: 'Language' },
  signOut: { de: 'Abmelden', en: 'Sign out' },
  signedInAs: {
    de: (who: string) => `Angemeldet als ${who}`,
    en: (who: string) => `Signed in as ${who}`,
  },
  root: { de: 'Root-Token', en: 'root token' },
  siteToken: { de: 'Website-Token', en: 'site token' },
})

const LANG_NAMES = { de: 'Deutsch', en: 'English' } as const

/** The site key and section of an app path: `/app/<siteKey>/<section>…`. */
export function placeOf(path: string): { siteKey: string | null; section: string } {
  const [, app, site, section] = path.split('/')
  if (app !== 'app' || !site || site === 'sign-in') return { siteKey: null, section: '' }
  return { siteKey: decodeURIComponent(site), section: section ?? '' }
}

/** The frame of every signed-in screen: the site, the sections, the language and sign-out. */
export function Shell({ children }: { children: ComponentChildren }) {
  const t = useTexts(TEXTS)
  const { lang, setLang } = useContext(LangContext)
  const { session, signOut } = useSession()
  const location = useLocation()
  const { siteKey, section } = placeOf(location.path)
  const who =
    session.kind === 'user' ? (session.email ?? '') : session.kind === 'root' ? t.root : t.siteToken

  const sections = siteKey
    ? [
        { key: '', href: paths.dashboard(siteKey), label: t.dashboard },
        { key: 'leads', href: paths.leads(siteKey), label: t.leads },
        { key: 'campaigns', href: paths.campaigns(siteKey), label: t.campaigns },
      ]
    : []

  return (
    <>
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <header class="top">
        <a class="brand" href="/app/">
          Lodestone
        </a>
        {session.sites.length > 0 && (
          <label class="site-picker">
            <span>{t.site}</span>
            <select
              value={siteKey ?? ''}
              onChange={(event) => {
                const next = (event.currentTarget as HTMLSelectElement).value
                const target =
                  section === 'leads'
                    ? paths.leads(next)
                    : section === 'campaigns'
                      ? paths.campaigns(next)
                      : paths.dashboard(next)
                location.route(target)
              }}
            >
              {!siteKey && <option value="">–</option>}
              {session.sites.map((site) => (
                <option key={site.siteKey} value={site.siteKey}>
                  {site.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <nav aria-label={t.nav}>
          <ul>
            {sections.map((entry) => (
              <li key={entry.key}>
                <a href={entry.href} aria-current={section === entry.key ? 'page' : undefined}>
                  {entry.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <div class="langs" role="group" aria-label={t.language}>
            {LANGS.map((code) => (
              <button
                key={code}
                type="button"
                lang={code}
                aria-pressed={lang === code}
                title={LANG_NAMES[code]}
                onClick={() => setLang(code)}
              >
                {code.toUpperCase()}
                <span class="visually-hidden"> {LANG_NAMES[code]}</span>
              </button>
            ))}
          </div>
          <span class="who">{t.signedInAs(who)}</span>
          <button type="button" class="secondary" onClick={() => void signOut()}>
            {t.signOut}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}
