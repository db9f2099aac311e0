/** Examples of the form schemas (`../form.ts`): the form `whitepaper-2026` of site `acme`. */

export const MARKETING_TEXT_EXAMPLE =
  'Ja, ich möchte per E-Mail Informationen der Acme Maschinenbau GmbH zu Produkten und Veranstaltungen erhalten. Die Einwilligung kann ich jederzeit widerrufen.'

export const TRACKING_TEXT_EXAMPLE = 'Ich bin mit der Auswertung meines Besuchs einverstanden.'

/** The form `whitepaper-2026` of site `acme`, as the examples of the admin and widget answers. */
export const PUBLIC_FORM_EXAMPLE = {
  formId: 'whitepaper-2026',
  kind: 'whitepaper',
  title: 'Whitepaper 2026: Vertrieb im Maschinenbau',
  description: 'Zwölf Seiten mit Zahlen aus 140 Vertriebsteams.',
  fields: [
    { name: 'email', type: 'email', required: true, label: 'Geschäftliche E-Mail' },
    { name: 'firstName', type: 'text', required: true, label: 'Vorname' },
    { name: 'lastName', type: 'text', required: true, label: 'Nachname' },
    { name: 'company', type: 'text', required: true, label: 'Firma' },
    { name: 'jobTitle', type: 'text', required: false, label: 'Position' },
    {
      name: 'employees',
      type: 'select',
      required: false,
      label: 'Mitarbeitende',
      options: ['1–49', '50–249', '250 und mehr'],
    },
  ],
  consents: [
    {
      purpose: 'marketing_email',
      textId: 'ct_VUogJhiVntyvcBCT',
      version: 1,
      sha256: '4d92e8e453bf999b09d7ba0bdab564cde6ac24428e9083c62a47dae4481dca5c',
      text: MARKETING_TEXT_EXAMPLE,
      required: false,
    },
    {
      purpose: 'tracking',
      textId: 'ct_YoGbtQZ_agbwGp60',
      version: 1,
      sha256: '81e384b83023f9bbecafa96657902110ffda1fe34bd77aba10f16e4bca52fc8c',
      text: TRACKING_TEXT_EXAMPLE,
      required: false,
    },
  ],
  popup: { trigger: 'scroll', value: 60, frequency: 'days', days: 14 },
  submitLabel: 'Whitepaper herunterladen',
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
  title: PUBLIC_FORM_EXAMPLE.title,
  description: PUBLIC_FORM_EXAMPLE.description,
  fields: PUBLIC_FORM_EXAMPLE.fields,
  consents: [
    { purpose: 'marketing_email', text: MARKETING_TEXT_EXAMPLE, required: false },
    { purpose: 'tracking', text: TRACKING_TEXT_EXAMPLE, required: false },
  ],
  asset: ASSET_EXAMPLE,
  popup: PUBLIC_FORM_EXAMPLE.popup,
  submitLabel: PUBLIC_FORM_EXAMPLE.submitLabel,
}

export const FORM_EXAMPLE = {
  ...PUBLIC_FORM_EXAMPLE,
  asset: ASSET_EXAMPLE,
  updatedAt: '2026-10-01T08:15:00.000Z',
}

export const SITE_CONFIG_EXAMPLE = {
  siteKey: 'acme',
  locale: 'de',
  forms: [{ ...PUBLIC_FORM_EXAMPLE, gated: true }],
}

export const FORM_START_EXAMPLE = {
  startToken: START_TOKEN_EXAMPLE,
  known: ['email', 'firstName', 'lastName', 'company'],
}
