import type { FormList } from '../../../shared/form'
import type { Localized } from '../../../shared/common'
import { api } from '../api'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { paths } from '../paths'
import { Loaded, PageTitle, useLoad } from '../ui'
import { KIND_NAMES } from './form-words'

const TEXTS = defineTexts({
  title: { de: 'Formulare', en: 'Forms' },
  intro: {
    de: 'Die Formulare der Website. Jedes erscheint, wo die Seite seinen Platzhalter hat (siehe Einbau), oder als Popup.',
    en: "The site's forms. Each shows where a page has its placeholder (see Install), or as a popup.",
  },
  newForm: { de: 'Neues Formular', en: 'New form' },
  none: {
    de: 'Noch kein Formular. Legen Sie das erste an.',
    en: 'No form yet. Create the first one.',
  },
  caption: { de: 'Formulare der Website', en: "The site's forms" },
  form: { de: 'Formular', en: 'Form' },
  id: { de: 'Kennung', en: 'Id' },
  kind: { de: 'Art', en: 'Kind' },
  shown: { de: 'Anzeige', en: 'Shown' },
  popup: { de: 'Popup', en: 'Popup' },
  inline: { de: 'Im Text', en: 'In the page' },
  languages: { de: 'Sprachen', en: 'Languages' },
  updated: { de: 'Geändert', en: 'Changed' },
})

const textOf = (text: Localized, lang: 'de' | 'en') =>
  typeof text === 'string' ? text : (text[lang] ?? text.de ?? text.en ?? '')

/** `/app/<siteKey>/forms`: the site's forms, each a link to the form builder (docs/app.md#forms). */
export function Forms({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const kinds = useTexts(KIND_NAMES)
  const lang = useLang()
  const format = useFormats()
  const path = `/v1/admin/sites/${encodeURIComponent(siteKey)}/forms`
  const [list, reload] = useLoad((signal) => api<FormList>(path, { signal }), [path])
  return (
    <>
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <p>{t.intro}</p>
      <p>
        <a class="button" href={paths.newForm(siteKey)}>
          {t.newForm}
        </a>
      </p>
      <Loaded value={list} onRetry={reload}>
        {({ forms }) =>
          forms.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption>{t.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.form}</th>
                    <th scope="col">{t.id}</th>
                    <th scope="col">{t.kind}</th>
                    <th scope="col">{t.shown}</th>
                    <th scope="col">{t.languages}</th>
                    <th scope="col">{t.updated}</th>
                  </tr>
                </thead>
                <tbody>
                  {forms.map((form) => (
                    <tr key={form.formId}>
                      <th scope="row">
                        <a href={paths.form(siteKey, form.formId)}>{textOf(form.title, lang)}</a>
                      </th>
                      <td>
                        <code>{form.formId}</code>
                      </td>
                      <td>{kinds[form.kind]}</td>
                      <td>{form.popup ? t.popup : t.inline}</td>
                      <td>{form.locales.join(', ')}</td>
                      <td>{format.dateTime(form.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  )
}
