/** Examples of the installation-check schemas (`../install.ts`), shown in the OpenAPI document. */

export const INSTALL_EXAMPLE = {
  collectorUrl: 'https://collector.example.com',
  snippet: '<script async src="https://collector.example.com/w.js" data-site="acme"></script>',
  forms: [
    {
      formId: 'whitepaper-2026',
      title: 'Whitepaper 2026',
      placeholder: '<div data-lodestone-form="whitepaper-2026"></div>',
    },
  ],
  origins: [
    {
      origin: 'https://www.acme.example',
      firstPageViewAt: '2026-11-20T09:12:00.000Z',
      lastEventAt: '2026-12-03T14:02:00.000Z',
    },
    { origin: 'https://acme.example', firstPageViewAt: null, lastEventAt: null },
  ],
  refused: [
    {
      origin: 'https://shop.acme.example',
      firstAt: '2026-12-03T13:40:00.000Z',
      lastAt: '2026-12-03T14:01:00.000Z',
      count: 12,
      lastRequest: 'config',
      lastPath: '/v1/sites/acme/config',
    },
  ],
  lastEvents: [
    {
      type: 'page_view',
      path: '/whitepaper',
      origin: 'https://www.acme.example',
      formId: null,
      receivedAt: '2026-12-03T14:02:00.000Z',
    },
  ],
}

export const ALLOW_ORIGIN_INPUT_EXAMPLE = { origin: 'https://shop.acme.example' }

export const ALLOWED_ORIGINS_EXAMPLE = {
  allowedOrigins: ['https://www.acme.example', 'https://acme.example', 'https://shop.acme.example'],
}
