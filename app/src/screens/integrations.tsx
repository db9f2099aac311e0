import { lazy } from 'preact-iso'

/**
 * `/app/<siteKey>/integrations` and a webhook's or an integration's deliveries
 * (docs/app.md#integrations). The screens and their texts load when first opened, so they stay out
 * of the app's first load (docs/app.md#size).
 */
export const Integrations = lazy(() =>
  import('./integrations-screen').then((module) => module.IntegrationsScreen),
)
export const Deliveries = lazy(() =>
  import('./deliveries-screen').then((module) => module.DeliveriesScreen),
)
