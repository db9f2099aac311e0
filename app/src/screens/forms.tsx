import { defineTexts, useTexts } from '../i18n'
import { PageTitle } from '../ui'

const TEXTS = defineTexts({
  title: { de: 'Formulare', en: 'Forms' },
})

/** Placeholder until the screen is built (issue 13). */
export function Forms() {
  const t = useTexts(TEXTS)
  return <PageTitle title={t.title}>{t.title}</PageTitle>
}
