/** WCAG 2 contrast, shared with the app's Design screen: shared/contrast.ts. */
export * from '../../../shared/contrast'
