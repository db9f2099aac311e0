import { defineTexts, useTexts } from '../i18n'
import { paths } from '../paths'
import { useSession } from '../session'
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
  rootBody: {
    de: 'Mit dem Root-Token legen Sie Websites an: Name, erlaubte Origins, Sprache und Phasenmodell.',
    en: 'With the root token you create sites: name, allowed origins, language and stage model.',
  },
  createFirst: { de: 'Erste Website anlegen', en: 'Create the first site' },
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
      {useSession().session.kind === 'root' ? (
        <>
          <p>{t.rootBody}</p>
          <p>
            <a class="button" href={paths.newSite}>
              {t.createFirst}
            </a>
          </p>
        </>
      ) : (
        <p>{t.noSiteBody}</p>
      )}
    </>
  )
}
