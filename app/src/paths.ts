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
}
