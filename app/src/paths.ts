/**
 * The app at `/app/` (docs/app.md): single-page routing under `/app/*`, each site's screens under
 * `/app/<siteKey>/…`, so every view (a filtered lead list, a dashboard period) is a link one can
 * share with a colleague who may read that site.
 */
export const paths = {
  signIn: '/app/sign-in',
  dashboard: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/`,
  leads: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/leads`,
  lead: (siteKey: string, leadId: string) =>
    `/app/${encodeURIComponent(siteKey)}/leads/${encodeURIComponent(leadId)}`,
  campaigns: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/campaigns`,
  forms: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/forms`,
  form: (siteKey: string, formId: string) =>
    `/app/${encodeURIComponent(siteKey)}/forms/${encodeURIComponent(formId)}`,
  newForm: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/forms/_new`,
  install: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/install`,
  spam: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/spam`,
  settings: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/settings`,
  team: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/team`,
  design: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/design`,
  integrations: (siteKey: string) => `/app/${encodeURIComponent(siteKey)}/integrations`,
  /** A webhook's deliveries; `?status=` filters. */
  webhookDeliveries: (siteKey: string, webhookId: string) =>
    `/app/${encodeURIComponent(siteKey)}/integrations/webhooks/${encodeURIComponent(webhookId)}`,
  /** A sales alert's or CRM's deliveries (`slack`, `email`, `hubspot`, `pipedrive`). */
  integrationDeliveries: (siteKey: string, kind: string) =>
    `/app/${encodeURIComponent(siteKey)}/integrations/${encodeURIComponent(kind)}`,
  /** Creating a site (the root token only); `_` is never in a site key, so no site hides it. */
  newSite: '/app/_new-site',
}
