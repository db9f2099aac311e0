import { defineTexts, useTexts } from '../i18n'
import { PageTitle } from '../ui'

const TEXTS = defineTexts({
  title: { de: 'Anmelden', en: 'Sign in' },
  soon: {
    de: 'Die Anmeldung per Link oder Token kommt als Nächstes. Bis dahin lesen und ändern Sie Leads, Berichte und Websites über die Admin-API:',
    en: 'Signing in by link or token comes next. Until then, read and change leads, reports and sites through the admin API:',
  },
  reference: { de: 'API-Referenz', en: 'API reference' },
})

/** The sign-in screen; for now it says that sign-in is not there yet and where to go instead. */
export function SignIn(_props: { onSignedIn: () => Promise<void> }) {
  const t = useTexts(TEXTS)
  return (
    <main id="main">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <p>
        {t.soon} <a href="/docs">{t.reference}</a>
      </p>
    </main>
  )
}
