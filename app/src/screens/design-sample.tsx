import { render } from 'preact'
import type { Lang } from '../i18n'
import type { Theme } from '../../../shared/site'
import { WIDGET_TEXTS } from '../../../shared/widget-texts'
import { FormView } from '../../../widget/form/form-view'
import { CSS, themeCss } from '../../../widget/form/styles'

/**
 * The Design screen's sample (loaded with `import()`): the widget's own form view and stylesheet
 * in a shadow root, as on a customer's page, with the theme as the form chunk applies it.
 */
export function mountSample(host: HTMLElement) {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' })
  const base = new CSSStyleSheet()
  base.replaceSync(CSS)
  const themed = new CSSStyleSheet()
  root.adoptedStyleSheets = [base, themed]
  return (theme: Theme, lang: Lang) => {
    themed.replaceSync(themeCss(theme))
    const strings = WIDGET_TEXTS[lang]
    const de = lang === 'de'
    render(
      <FormView
        form={{
          formId: 'sample',
          kind: 'whitepaper',
          locale: lang,
          locales: [lang],
          title: de ? 'Whitepaper herunterladen' : 'Download the whitepaper',
          description: de ? 'Ein Beispiel mit Ihren Farben.' : 'A sample with your colours.',
          fields: [],
          consents: [],
          popup: null,
          submitLabel: null,
          thanks: null,
          gated: true,
        }}
        fields={[
          { name: 'email', type: 'email', required: true, label: de ? 'E-Mail' : 'Email' },
          { name: 'company', type: 'text', required: false, label: de ? 'Firma' : 'Company' },
          {
            name: 'consent:marketing_email',
            type: 'checkbox',
            required: false,
            label: de
              ? 'Ja, ich möchte Informationen per E-Mail.'
              : 'Yes, send me information by email.',
          },
        ]}
        state={{
          errors: {
            email: de
              ? 'Bitte geben Sie Ihre E-Mail-Adresse ein.'
              : 'Please enter your email address.',
          },
        }}
        strings={strings}
        onSubmit={(event) => event.preventDefault()}
        onInput={() => {}}
      />,
      root,
    )
  }
}
