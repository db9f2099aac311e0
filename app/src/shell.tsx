import type { ComponentChildren } from 'preact'
import { useLocation } from 'preact-iso'
import { confirmLeave } from './components/unsaved'
import { paths } from './paths'
import { defineTexts, LANGS, LangContext, useTexts } from './i18n'
import { can, useSession, type Scope } from './session'
import { useContext } from 'preact/hooks'

const TEXTS = defineTexts({
  skip: { de: 'Zum Inhalt', en: 'Skip to content' },
  nav: { de: 'Hauptnavigation', en: 'Main navigation' },
  dashboard: { de: 'Übersicht', en: 'Dashboard' },
  leads: { de: 'Leads', en: 'Leads' },
  campaigns: { de: 'Kampagnen', en: 'Campaigns' },
  forms: { de: 'Formulare', en: 'Forms' },
  install: { de: 'Einbau', en: 'Install' },
  spam: { de: 'Spam', en: 'Spam' },
  settings: { de: 'Einstellungen', en: 'Settings' },
  team: { de: 'Team', en: 'Team' },
  integrations: { de: 'Integrationen', en: 'Integrations' },
  newSite: { de: 'Neue Website', en: 'New site' },
  design: { de: 'Design', en: 'Design' },
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
  if (app !== 'app' || !site || site === 'sign-in' || site.startsWith('_'))
    return { siteKey: null, section: '' }
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

  const sections: { key: string; href: string; label: string; scope?: Scope }[] = siteKey
    ? [
        { key: '', href: paths.dashboard(siteKey), label: t.dashboard },
        { key: 'leads', href: paths.leads(siteKey), label: t.leads },
        { key: 'campaigns', href: paths.campaigns(siteKey), label: t.campaigns },
        { key: 'forms', href: paths.forms(siteKey), label: t.forms, scope: 'site:admin' as Scope },
        {
          key: 'install',
          href: paths.install(siteKey),
          label: t.install,
          scope: 'site:admin' as Scope,
        },
        { key: 'spam', href: paths.spam(siteKey), label: t.spam, scope: 'leads:read' as Scope },
        {
          key: 'settings',
          href: paths.settings(siteKey),
          label: t.settings,
          scope: 'site:admin' as Scope,
        },
        { key: 'team', href: paths.team(siteKey), label: t.team, scope: 'site:admin' as Scope },
        {
          key: 'integrations',
          href: paths.integrations(siteKey),
          label: t.integrations,
          scope: 'site:admin' as Scope,
        },
        {
          key: 'design',
          href: paths.design(siteKey),
          label: t.design,
          scope: 'site:admin' as Scope,
        },
      ].filter((entry) => !entry.scope || can(session, siteKey, entry.scope))
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
                const select = event.currentTarget as HTMLSelectElement
                const next = select.value
                if (!confirmLeave()) {
                  select.value = siteKey ?? ''
                  return
                }
                // The same section of the other site; a lead or a form of this one is not there.
                location.route(`${paths.dashboard(next)}${section}`)
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
            {session.kind === 'root' && (
              <li>
                <a
                  href={paths.newSite}
                  aria-current={location.path === paths.newSite ? 'page' : undefined}
                >
                  {t.newSite}
                </a>
              </li>
            )}
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
          <button type="button" class="secondary" onClick={() => confirmLeave() && void signOut()}>
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
