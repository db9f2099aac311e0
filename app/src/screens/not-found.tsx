import { defineTexts, useTexts } from '../i18n'
import { PageTitle } from '../ui'

const TEXTS = defineTexts({
  notFound: { de: 'Diese Seite gibt es nicht', en: 'There is no such page' },
  notFoundBody: {
    de: 'Der Link ist vielleicht veraltet. Wählen Sie oben eine Website oder einen Bereich.',
    en: 'The link may be out of date. Choose a site or a section above.',
  },
  noSite: { de: 'Noch keine Website', en: 'No site yet' },
  noSiteBody: {
    de: 'Ihnen ist noch keine Website zugewiesen. Bitten Sie eine Administratorin oder einen Administrator der Website um eine Einladung.',
    en: 'No site has been shared with you yet. Ask an admin of the site to invite you.',
  },
})

export function NotFound() {
  const t = useTexts(TEXTS)
  return (
    <>
      <PageTitle title={t.notFound}>{t.notFound}</PageTitle>
      <p>{t.notFoundBody}</p>
    </>
  )
}

export function NoSite() {
  const t = useTexts(TEXTS)
  return (
    <>
      <PageTitle title={t.noSite}>{t.noSite}</PageTitle>
      <p>{t.noSiteBody}</p>
    </>
  )
}
