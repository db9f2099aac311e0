import type { SiteDetail } from '../../../shared/site'
import { api } from '../api'
import { lazy } from 'preact-iso'
import { defineTexts, useTexts } from '../i18n'
import { useSession } from '../session'
import { Loaded, PageTitle, useLoad } from '../ui'

/** The form and its texts load with the first screen that shows it (docs/app.md#size). */
const SiteForm = lazy(() => import('../components/site-form').then((module) => module.SiteForm))

const TEXTS = defineTexts({
  title: { de: 'Einstellungen', en: 'Settings' },
  intro: {
    de: 'Die Einstellungen der Website. Änderungen gelten ab dem Speichern für neue Besuche und Einsendungen.',
    en: "The site's settings. Changes apply to new visits and submissions from the moment they are saved.",
  },
})

/** `/app/<siteKey>/settings`: the site's settings from `GET`, saved with `PUT` (site:admin). */
export function Settings({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const { refresh } = useSession()
  const path = `/v1/admin/sites/${encodeURIComponent(siteKey)}`
  const [site, reload] = useLoad((signal) => api<SiteDetail>(path, { signal }), [path])
  return (
    <>
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <p>{t.intro}</p>
      <Loaded value={site} onRetry={reload}>
        {(loaded) => (
          <SiteForm
            key={loaded.siteKey}
            site={loaded}
            // The name shows in the site picker, which reads the session.
            onSaved={() => void refresh()}
          />
        )}
      </Loaded>
    </>
  )
}
