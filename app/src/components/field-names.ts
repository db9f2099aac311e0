import type { STANDARD_FIELDS } from '../../../shared/vocabulary'
import { defineTexts } from '../i18n'

/** What the standard fields are called (the site's required fields, the form builder's labels). */
export const FIELD_NAMES = defineTexts({
  email: { de: 'E-Mail', en: 'Email' },
  firstName: { de: 'Vorname', en: 'First name' },
  lastName: { de: 'Nachname', en: 'Last name' },
  company: { de: 'Firma', en: 'Company' },
  jobTitle: { de: 'Position', en: 'Job title' },
  phone: { de: 'Telefon', en: 'Phone' },
  website: { de: 'Website', en: 'Website' },
  country: { de: 'Land', en: 'Country' },
  budget: { de: 'Budget', en: 'Budget' },
  timeline: { de: 'Zeitrahmen', en: 'Timeline' },
  employees: { de: 'Mitarbeitende', en: 'Employees' },
  message: { de: 'Nachricht', en: 'Message' },
} satisfies Record<(typeof STANDARD_FIELDS)[number], { de: string; en: string }>)
