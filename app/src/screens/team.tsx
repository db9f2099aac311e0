import { lazy } from 'preact-iso'

/**
 * `/app/<siteKey>/team` (docs/app.md#team). The screen and its texts load when first opened
 * (`team-screen.tsx`), so they stay out of the app's first load (docs/app.md#size).
 */
export const Team = lazy(() => import('./team-screen').then((module) => module.TeamScreen))
