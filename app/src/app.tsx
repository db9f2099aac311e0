import { useEffect, useMemo, useState } from 'preact/hooks'
import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso'
import { api, ApiError, onSignedOut } from './api'
import { initialLang, LangContext, storeLang, type Lang } from './i18n'
import { SessionContext, useSession, type Session, type SessionState } from './session'
import { paths } from './paths'
import { Shell } from './shell'
import { Campaigns } from './screens/campaigns'
import { Dashboard } from './screens/dashboard'
import { LeadDetail } from './screens/lead-detail'
import { Leads } from './screens/leads'
import { NoSite, NotFound } from './screens/not-found'
import { SignIn } from './screens/sign-in'
import { FormBuilder } from './screens/form-builder'
import { Forms } from './screens/forms'
import { Install } from './screens/install'
import { NewSite } from './screens/new-site'
import { Settings } from './screens/settings'
import { Spam } from './screens/spam'
import { Team } from './screens/team'
import { Design } from './screens/design'
import { Deliveries, Integrations } from './screens/integrations'

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang)
  const langValue = useMemo(
    () => ({
      lang,
      setLang: (next: Lang) => {
        storeLang(next)
        setLangState(next)
      },
    }),
    [lang],
  )
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  return (
    <LangContext.Provider value={langValue}>
      <LocationProvider scope="/app">
        <ErrorBoundary>
          <Signed />
        </ErrorBoundary>
      </LocationProvider>
    </LangContext.Provider>
  )
}

type Loaded = { state: 'loading' } | { state: 'out' } | { state: 'in'; session: Session }

/** Reads the session once; signed out, every path but the sign-in page leads there. */
function Signed() {
  const location = useLocation()
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })

  const refresh = async () => {
    try {
      setLoaded({ state: 'in', session: await api<Session>('/v1/auth/session') })
    } catch (error) {
      // 404: a collector without sign-in yet (docs/app.md); the sign-in screen says what to use.
      if (error instanceof ApiError && (error.status === 401 || error.status === 404))
        setLoaded({ state: 'out' })
      else throw error
    }
  }
  useEffect(() => {
    void refresh()
    return onSignedOut(() => setLoaded({ state: 'out' }))
  }, [])

  const state: SessionState | null = useMemo(
    () =>
      loaded.state === 'in'
        ? {
            session: loaded.session,
            refresh,
            signOut: async () => {
              await api('/v1/auth/session', { method: 'DELETE' })
              setLoaded({ state: 'out' })
              location.route(paths.signIn, true)
            },
          }
        : null,
    [loaded],
  )

  useEffect(() => {
    if (loaded.state === 'out' && location.path !== paths.signIn) {
      const next = location.url === '/app/' || location.url === '/app' ? '' : location.url
      location.route(next ? `${paths.signIn}?next=${encodeURIComponent(next)}` : paths.signIn, true)
    }
  }, [loaded.state, location.path])

  useEffect(() => {
    if (loaded.state === 'in' && location.path === paths.signIn) {
      // Signed in on the sign-in page: on to where the reader was going (only inside the app).
      const next = typeof location.query.next === 'string' ? location.query.next : ''
      location.route(next.startsWith('/app/') ? next : '/app/', true)
    }
  }, [loaded.state, location.path])

  if (loaded.state === 'loading') return <p class="loading" role="status" aria-live="polite" />
  if (!state) return <SignIn onSignedIn={refresh} />
  if (location.path === paths.signIn) return null
  return (
    <SessionContext.Provider value={state}>
      <Shell>
        <Router>
          <Route path="/app" component={Home} />
          <Route path="/app/_new-site" component={NewSite} />
          <Route path="/app/:siteKey" component={Dashboard} />
          <Route path="/app/:siteKey/leads" component={Leads} />
          <Route path="/app/:siteKey/leads/:leadId" component={LeadDetail} />
          <Route path="/app/:siteKey/campaigns" component={Campaigns} />
          <Route path="/app/:siteKey/forms" component={Forms} />
          <Route path="/app/:siteKey/forms/:formId" component={FormBuilder} />
          <Route path="/app/:siteKey/install" component={Install} />
          <Route path="/app/:siteKey/spam" component={Spam} />
          <Route path="/app/:siteKey/settings" component={Settings} />
          <Route path="/app/:siteKey/team" component={Team} />
          <Route path="/app/:siteKey/design" component={Design} />
          <Route path="/app/:siteKey/integrations" component={Integrations} />
          <Route path="/app/:siteKey/integrations/webhooks/:webhookId" component={Deliveries} />
          <Route path="/app/:siteKey/integrations/:kind" component={Deliveries} />
          <Route default component={NotFound} />
        </Router>
      </Shell>
    </SessionContext.Provider>
  )
}

/** `/app/`: the first site of the session, or a word on why there is none. */
function Home() {
  const { route } = useLocation()
  const { sites } = useSession().session
  useEffect(() => {
    if (sites[0]) route(paths.dashboard(sites[0].siteKey), true)
  }, [sites])
  return sites.length ? null : <NoSite />
}
