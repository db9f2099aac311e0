/**
 * Lead qualification (docs/stages-and-scoring.md, docs/completeness.md): fit and engagement scores
 * with reasons, temperature, and stages moved by declarative rules. Pure functions over plain data:
 * no HTTP, no SQL. The worker calls `classify` on a submission and on new touchpoints of a linked
 * visitor, storing the returned `state` in `leads.score_state`.
 */
export { classify, type Classification, type ClassifyInput, type StageStep } from './classify'
export {
  applyTouchpoints,
  describeEngagement,
  emptyEngagementState,
  engagementAt,
  isPricingPath,
  parseEngagementState,
  scoreKindOf,
  serializeEngagementState,
  MAX_ENGAGEMENT_REASONS,
  SCORE_KINDS,
  STATE_DAYS,
  type ApplyOptions,
  type EngagementReason,
  type EngagementState,
  type ScoreKind,
  type Touchpoint,
} from './engagement'
export {
  isBudgetStated,
  isDecisionMakerTitle,
  isTimelineWithin,
  scoreFit,
  type FitFacts,
  type FitResult,
  type LeadFields,
} from './fit'
export { emailDomain, isFreemailDomain } from './freemail'
export {
  conditionHolds,
  firstStage,
  manualStageAllowed,
  ruleSources,
  STAGE_MODEL_DEFINITIONS,
  stageRulesFor,
  type RuleFacts,
  type StageModelDefinition,
} from './stage-model'
export {
  CONTENT_FORM_KINDS,
  FORM_KIND_SCORES,
  INTENT_FORM_KINDS,
  type ContentFormKind,
  type IntentFormKind,
} from './form-kinds'
export {
  DEFAULT_DAILY_CAPS,
  DEFAULT_DECISION_MAKER_TITLES,
  DEFAULT_POINTS,
  DEFAULT_PRICING_PATHS,
  DEFAULT_RULES,
  DEFAULT_STAGE_RULES,
  resolveRules,
  type ResolvedRules,
} from './rules'
export { temperatureAt } from './temperature'
