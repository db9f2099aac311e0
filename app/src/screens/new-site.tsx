import { lazy, useLocation } from 'preact-iso'
import { defineTexts, useTexts } from '../i18n'
import { paths } from '../paths'
import { useSession } from '../session'
import { PageTitle } from '../ui'

/** The form and its texts load with the first screen that shows it (docs/app.md#size). */
const SiteForm = lazy(() => import('../components/site-form').then((module) => module.SiteForm))

const TEXTS = defineTexts({
  title: { de: 'Neue Website', en: 'New site' },
  intro: {
    de: 'Eine Website ist ein Auftritt mit eigenen Formularen, Leads und Berichten. Danach legen Sie Formulare an und bauen den Code ein.',
    en: 'A site is one web presence with its own forms, leads and reports. Next you create its forms and install the embed code.',
  },
  rootOnly: {
    de: 'Nur mit dem Root-Token lassen sich Websites anlegen. Melden Sie sich mit ihm an.',
    en: 'Only the root token creates sites. Sign in with it to create one.',
  },
})

/** `/app/_new-site`: creating a site (the root token only; docs/app.md#sites). */
export function NewSite() {
  const t = useTexts(TEXTS)
  const { session, refresh } = useSession()
  const { route } = useLocation()
  return (
    <>
      <PageTitle title={t.title}>{t.title}</PageTitle>
      {session.kind !== 'root' ? (
        <p>{t.rootOnly}</p>
      ) : (
        <>
          <p>{t.intro}</p>
          <SiteForm
            site={null}
            onSaved={async (site) => {
              // The session lists its sites: read it again, so the picker shows the new one.
              await refresh()
              route(paths.settings(site.siteKey))
            }}
          />
        </>
      )}
    </>
  )
}
