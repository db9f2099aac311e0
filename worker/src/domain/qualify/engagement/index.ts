/**
 * Engagement: a lead's scored interactions. Split at its seams: the stored
 * state (`state.ts`), pricing-page matching (`paths.ts`), scoring new
 * touchpoints into the state (`score.ts`) and the reasons in words
 * (`describe.ts`).
 */
export { describeEngagement } from './describe'
export { isPricingPath } from './paths'
export {
  applyTouchpoints,
  engagementAt,
  scoreKindOf,
  type ApplyOptions,
  type Touchpoint,
} from './score'
export {
  emptyEngagementState,
  EngagementStateSchema,
  MAX_ENGAGEMENT_REASONS,
  parseEngagementState,
  SCORE_KINDS,
  serializeEngagementState,
  STATE_DAYS,
  type DayTally,
  type EngagementReason,
  type EngagementState,
  type ScoreKind,
  type TouchpointScoreKind,
} from './state'
