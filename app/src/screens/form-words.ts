import type { FormKind } from '../../../shared/vocabulary'
import { defineTexts } from '../i18n'

/** What each kind of form is called, in the list and in the editor (docs/app.md#forms). */
export const KIND_NAMES = defineTexts({
  whitepaper: { de: 'Whitepaper', en: 'White paper' },
  ebook: { de: 'E-Book', en: 'E-book' },
  checklist: { de: 'Checkliste', en: 'Checklist' },
  newsletter: { de: 'Newsletter', en: 'Newsletter' },
  webinar: { de: 'Webinar', en: 'Webinar' },
  demo_request: { de: 'Demo-Anfrage', en: 'Demo request' },
  quote_request: { de: 'Angebotsanfrage', en: 'Quote request' },
  contact_sales: { de: 'Kontakt zum Vertrieb', en: 'Contact sales' },
  survey: { de: 'Umfrage', en: 'Survey' },
} satisfies Record<FormKind, { de: string; en: string }>)
