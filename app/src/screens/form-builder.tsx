import { defineTexts, useTexts } from '../i18n'
import { PageTitle } from '../ui'

const TEXTS = defineTexts({
  title: { de: 'Formular', en: 'Form' },
})

/** Placeholder until the screen is built (issue 13). */
export function FormBuilder() {
  const t = useTexts(TEXTS)
  return <PageTitle title={t.title}>{t.title}</PageTitle>
}
