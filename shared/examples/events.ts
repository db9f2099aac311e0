/** Examples of the event schemas (`../events.ts`), shown in the OpenAPI document. */

export const EVENT_BATCH_EXAMPLE = {
  siteKey: 'acme',
  visitorId: '64b42d45-e9b8-446e-9b69-83523fe24127',
  events: [
    {
      id: 'f162379a-991c-433d-ac63-7e8ad2fd326d',
      type: 'page_view',
      ts: '2026-11-03T09:12:41.000Z',
      url: 'https://www.acme.example/whitepaper-2026?utm_source=linkedin&utm_medium=paid&utm_campaign=q4-whitepaper',
      referrer: 'https://www.linkedin.com/',
      utm: { source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper' },
    },
    {
      id: 'ca130efe-d364-4d35-9257-6de34e6b3183',
      type: 'cta_click',
      ts: '2026-11-03T09:13:05.000Z',
      url: 'https://www.acme.example/whitepaper-2026',
      formId: 'whitepaper-2026',
      props: { label: 'Jetzt herunterladen' },
    },
    {
      id: '0b7f5c1e-3a4d-4f0e-9c2b-5d6e7f8a9b0c',
      type: 'engaged_time',
      ts: '2026-11-03T09:13:23.000Z',
      url: 'https://www.acme.example/whitepaper-2026',
      referrer: 'https://www.linkedin.com/',
      value: 42,
      pageViewId: 'f162379a-991c-433d-ac63-7e8ad2fd326d',
    },
  ],
}

export const EVENT_BATCH_RESULT_EXAMPLE = { accepted: 3, duplicates: 0 }
