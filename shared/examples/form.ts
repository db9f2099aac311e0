/** Examples of the form schemas (`../form.ts`): the form `whitepaper-2026` of site `acme`. */

import { WIDGET_TEXTS } from '../widget-texts'

export const MARKETING_TEXT_EXAMPLE =
  'Ja, ich möchte per E-Mail Informationen der Acme Maschinenbau GmbH zu Produkten und Veranstaltungen erhalten. Die Einwilligung kann ich jederzeit widerrufen.'
export const MARKETING_TEXT_EN_EXAMPLE =
  'Yes, I would like to receive information from Acme Maschinenbau GmbH about products and events by email. I can withdraw my consent at any time.'

export const TRACKING_TEXT_EXAMPLE = 'Ich bin mit der Auswertung meines Besuchs einverstanden.'
export const TRACKING_TEXT_EN_EXAMPLE = 'I agree that my visit is analysed.'

/** The form's texts in German and English (docs/wire-contract.md#texts-per-language). */
const TEXTS = {
  title: {
    de: 'Whitepaper 2026: Vertrieb im Maschinenbau',
    en: 'White paper 2026: selling machinery',
  },
  description: {
    de: 'Zwölf Seiten mit Zahlen aus 140 Vertriebsteams.',
    en: 'Twelve pages of figures from 140 sales teams.',
  },
  submitLabel: { de: 'Whitepaper herunterladen', en: 'Download the white paper' },
  thanks: { de: 'Danke! Ihr Whitepaper ist bereit.', en: 'Thank you! Your white paper is ready.' },
}

const FIELDS = [
  {
    name: 'email',
    type: 'email',
    required: true,
    label: { de: 'Geschäftliche E-Mail', en: 'Business email' },
    placeholder: { de: 'name@firma.de', en: 'name@company.com' },
  },
  { name: 'firstName', type: 'text', required: true, label: { de: 'Vorname', en: 'First name' } },
  { name: 'lastName', type: 'text', required: true, label: { de: 'Nachname', en: 'Last name' } },
  { name: 'company', type: 'text', required: true, label: { de: 'Firma', en: 'Company' } },
  { name: 'jobTitle', type: 'text', required: false, label: { de: 'Position', en: 'Job title' } },
  {
    name: 'employees',
    type: 'select',
    required: false,
    label: { de: 'Mitarbeitende', en: 'Employees' },
    help: { de: 'In Ihrem ganzen Unternehmen.', en: 'In your whole company.' },
    options: [
      '1–49',
      '50–249',
      { value: '250+', label: { de: '250 und mehr', en: '250 or more' } },
    ],
  },
]

const MARKETING_DE = {
  textId: 'ct_VUogJhiVntyvcBCT',
  version: 1,
  sha256: '4d92e8e453bf999b09d7ba0bdab564cde6ac24428e9083c62a47dae4481dca5c',
  text: MARKETING_TEXT_EXAMPLE,
}
const MARKETING_EN = {
  textId: 'ct_q3xLmV0aJb8nWd2K',
  version: 2,
  sha256: 'ae8f0621829475345df26b5a61ed5246d8f35cd4bcaa65dd476ca48c108c3ffa',
  text: MARKETING_TEXT_EN_EXAMPLE,
}
const TRACKING_DE = {
  textId: 'ct_YoGbtQZ_agbwGp60',
  version: 1,
  sha256: '81e384b83023f9bbecafa96657902110ffda1fe34bd77aba10f16e4bca52fc8c',
  text: TRACKING_TEXT_EXAMPLE,
}
const TRACKING_EN = {
  textId: 'ct_Hk2pQw9rTz4sXc1V',
  version: 2,
  sha256: 'cace8922d6db780f5cea33418814c79078b10d1cc7a83ec21505487043a1f0af',
  text: TRACKING_TEXT_EN_EXAMPLE,
}

const POPUP = { trigger: 'scroll', value: 60, frequency: 'days', days: 14 }

/** The form `whitepaper-2026` of site `acme` as the widget gets it on a German page. */
export const PUBLIC_FORM_EXAMPLE = {
  formId: 'whitepaper-2026',
  kind: 'whitepaper',
  locale: 'de',
  locales: ['de', 'en'],
  title: TEXTS.title.de,
  description: TEXTS.description.de,
  fields: FIELDS.map(({ label, help, placeholder, options, ...field }) => ({
    ...field,
    label: label.de,
    ...(help ? { help: help.de } : {}),
    ...(placeholder ? { placeholder: placeholder.de } : {}),
    ...(options
      ? {
          options: options.map((option) =>
            typeof option === 'string' ? option : { value: option.value, label: option.label.de },
          ),
        }
      : {}),
  })),
  consents: [
    { purpose: 'marketing_email', ...MARKETING_DE, required: false },
    { purpose: 'tracking', ...TRACKING_DE, required: false },
  ],
  popup: POPUP,
  submitLabel: TEXTS.submitLabel.de,
  thanks: TEXTS.thanks.de,
}

/**
 * A start token as `GET .../start` signs it: `{ k: 'start', s: 'acme', f: 'whitepaper-2026', t, n }`
 * (`n` a nonce: one token serves one submission).
 */
export const START_TOKEN_EXAMPLE =
  'eyJrIjoic3RhcnQiLCJzIjoiYWNtZSIsImYiOiJ3aGl0ZXBhcGVyLTIwMjYiLCJ0IjoxNzkzNjk3MjQyMDAwLCJuIjoicTNKdFgwYTlWYjhtIn0.1DHA-J2Z2mLFR1o362oyECsRvKCk6ZTopt2aG3SP2t8'

export const ASSET_EXAMPLE = {
  url: 'https://www.acme.example/downloads/whitepaper-2026.pdf',
  filename: 'whitepaper-2026.pdf',
}

export const FORM_INPUT_EXAMPLE = {
  kind: PUBLIC_FORM_EXAMPLE.kind,
  ...TEXTS,
  fields: FIELDS,
  consents: [
    {
      purpose: 'marketing_email',
      text: { de: MARKETING_TEXT_EXAMPLE, en: MARKETING_TEXT_EN_EXAMPLE },
      required: false,
    },
    {
      purpose: 'tracking',
      text: { de: TRACKING_TEXT_EXAMPLE, en: TRACKING_TEXT_EN_EXAMPLE },
      required: false,
    },
  ],
  asset: ASSET_EXAMPLE,
  popup: POPUP,
}

export const FORM_EXAMPLE = {
  formId: PUBLIC_FORM_EXAMPLE.formId,
  kind: PUBLIC_FORM_EXAMPLE.kind,
  locales: ['de', 'en'],
  ...TEXTS,
  fields: FIELDS,
  consents: [
    {
      purpose: 'marketing_email',
      ...MARKETING_DE,
      required: false,
      texts: { de: MARKETING_DE, en: MARKETING_EN },
    },
    {
      purpose: 'tracking',
      ...TRACKING_DE,
      required: false,
      texts: { de: TRACKING_DE, en: TRACKING_EN },
    },
  ],
  asset: ASSET_EXAMPLE,
  popup: POPUP,
  updatedAt: '2026-10-01T08:15:00.000Z',
}

export const SITE_CONFIG_EXAMPLE = {
  siteKey: 'acme',
  locale: 'de',
  forms: [{ ...PUBLIC_FORM_EXAMPLE, gated: true }],
  texts: { de: WIDGET_TEXTS.de },
}

export const FORM_START_EXAMPLE = {
  startToken: START_TOKEN_EXAMPLE,
  known: ['email', 'firstName', 'lastName', 'company'],
}

export const FORM_LIST_EXAMPLE = { forms: [FORM_EXAMPLE] }

export const FORM_DETAIL_EXAMPLE = {
  ...FORM_EXAMPLE,
  consentHistory: [
    {
      purpose: 'marketing_email',
      ...MARKETING_DE,
      createdAt: '2026-09-01T10:00:00.000Z',
      leads: 412,
    },
    {
      purpose: 'marketing_email',
      ...MARKETING_EN,
      createdAt: '2026-10-01T08:15:00.000Z',
      leads: 37,
    },
    { purpose: 'tracking', ...TRACKING_DE, createdAt: '2026-09-01T10:00:00.000Z', leads: 398 },
    { purpose: 'tracking', ...TRACKING_EN, createdAt: '2026-10-01T08:15:00.000Z', leads: 35 },
  ].map(({ sha256: _sha256, ...entry }) => entry),
}

export const FORM_PREVIEW_EXAMPLE = {
  form: { ...PUBLIC_FORM_EXAMPLE, gated: true },
  texts: WIDGET_TEXTS.de,
  theme: { accent: '#7a1fa2', radius: '10px' },
}
