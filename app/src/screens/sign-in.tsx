import { useState } from 'preact/hooks'
import { api, ApiError } from '../api'
import { defineTexts, useLang, useTexts } from '../i18n'
import { PageTitle } from '../ui'
import './sign-in.css'

const TEXTS = defineTexts({
  title: { de: 'Anmelden', en: 'Sign in' },
  intro: {
    de: 'Lodestone zeigt Ihnen Leads, Kampagnen und Kosten der Websites, zu denen Sie eingeladen wurden.',
    en: 'Lodestone shows you the leads, campaigns and costs of the sites you were invited to.',
  },
  linkTitle: { de: 'Mit einem Link per E-Mail', en: 'With a link by email' },
  email: { de: 'E-Mail-Adresse', en: 'Email address' },
  sendLink: { de: 'Anmeldelink senden', en: 'Send sign-in link' },
  sent: {
    de: 'Wenn diese Adresse zu einem Zugang gehört, ist ein Link unterwegs. Er gilt 15 Minuten.',
    en: 'If this address belongs to an account, a link is on its way. It works for 15 minutes.',
  },
  tokenTitle: { de: 'Mit einem Token', en: 'With a token' },
  tokenHint: {
    de: 'Das Root-Token oder ein Website-Token (für die erste Einrichtung und Automatisierung).',
    en: 'The root token or a site token (for the first set-up and for automation).',
  },
  token: { de: 'Token', en: 'Token' },
  useToken: { de: 'Mit Token anmelden', en: 'Sign in with token' },
  badToken: { de: 'Dieses Token ist nicht gültig.', en: 'This token is not valid.' },
  linkReady: {
    de: 'Ihr Anmeldelink ist bereit.',
    en: 'Your sign-in link is ready.',
  },
  continue: { de: 'Anmeldung abschließen', en: 'Finish signing in' },
  linkUsed: {
    de: 'Dieser Link wurde schon benutzt oder ist abgelaufen. Fordern Sie unten einen neuen an.',
    en: 'This link was used already or has expired. Ask for a new one below.',
  },
  linkUnknown: {
    de: 'Dieser Link ist nicht gültig. Fordern Sie unten einen neuen an.',
    en: 'This link is not valid. Ask for a new one below.',
  },
  tooMany: {
    de: 'Zu viele Versuche; bitte warten Sie eine Minute.',
    en: 'Too many attempts; please wait a minute.',
  },
  failed: { de: 'Das hat nicht geklappt.', en: 'That did not work.' },
})

type T = ReturnType<typeof useTexts<typeof TEXTS>>

function describe(error: unknown, t: T): string {
  if (!(error instanceof ApiError)) return t.failed
  if (error.status === 429) return t.tooMany
  if (error.status === 410) return t.linkUsed
  if (error.status === 404) return t.linkUnknown
  if (error.status === 401) return t.badToken
  return error.problem.detail ?? t.failed
}

/** The secret of a mailed link, from the fragment (`#link=…`), which no server ever sees. */
function linkInFragment(): string | null {
  const match = /^#link=([A-Za-z0-9_-]{16,200})$/.exec(location.hash)
  return match ? match[1]! : null
}

/**
 * Sign-in (docs/app-sign-in.md): finish a mailed link with one click (a click, so a mail
 * scanner that opens links signs nobody in), ask for a link by email, or paste a token.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const t = useTexts(TEXTS)
  const lang = useLang()
  const [link, setLink] = useState(linkInFragment)
  const [email, setEmail] = useState('')
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const run = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (caught) {
      setError(describe(caught, t))
    } finally {
      setBusy(false)
    }
  }

  const redeem = () =>
    run(async () => {
      try {
        await api('/v1/auth/links/redeem', { method: 'POST', body: { link } })
      } finally {
        // The secret works once: keep it out of the address bar and history either way.
        history.replaceState(null, '', location.pathname + location.search)
        setLink(null)
      }
      await onSignedIn()
    })

  return (
    <main id="main" class="sign-in">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <p>{t.intro}</p>
      {error && (
        <p class="error-note" role="alert">
          {error}
        </p>
      )}
      {link && (
        <section class="card" aria-labelledby="link-ready">
          <h2 id="link-ready">{t.linkReady}</h2>
          <button type="button" disabled={busy} onClick={redeem}>
            {t.continue}
          </button>
        </section>
      )}
      <section class="card" aria-labelledby="by-mail">
        <h2 id="by-mail">{t.linkTitle}</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            void run(async () => {
              await api('/v1/auth/links', { method: 'POST', body: { email, lang } })
              setSent(true)
            })
          }}
        >
          <label>
            {t.email}
            <input
              type="email"
              name="email"
              autocomplete="email"
              required
              maxLength={254}
              value={email}
              onInput={(event) => {
                setEmail(event.currentTarget.value)
                setSent(false)
              }}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t.sendLink}
          </button>
        </form>
        {sent && (
          <p class="notice" role="status">
            {t.sent}
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="by-token">
        <h2 id="by-token">{t.tokenTitle}</h2>
        <p class="hint" id="token-hint">
          {t.tokenHint}
        </p>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            void run(async () => {
              await api('/v1/auth/sessions', { method: 'POST', body: { token: token.trim() } })
              setToken('')
              await onSignedIn()
            })
          }}
        >
          <label>
            {t.token}
            <input
              type="password"
              name="token"
              autocomplete="off"
              required
              minLength={16}
              maxLength={200}
              aria-describedby="token-hint"
              value={token}
              onInput={(event) => setToken(event.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t.useToken}
          </button>
        </form>
      </section>
    </main>
  )
}
