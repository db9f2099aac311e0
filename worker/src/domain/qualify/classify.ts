import { CONTENT_FORM_KINDS, INTENT_FORM_KINDS } from './form-kinds'
import type { ResolvedRules } from './rules'
import type { Stage, StageModel, Temperature } from '../../../../shared/site'
import {
  applyTouchpoints,
  describeEngagement,
  engagementAt,
  type EngagementState,
  type Touchpoint,
} from './engagement'
import { scoreFit, type FitFacts, type LeadFields } from './fit'
import {
  conditionHolds,
  ruleSources,
  STAGE_MODEL_DEFINITIONS,
  stageRulesFor,
  type RuleFacts,
} from './stage-model'
import { temperatureAt } from './temperature'

export interface ClassifyInput {
  model: StageModel
  rules: ResolvedRules
  /** The lead's current stage; absent for a lead being created. */
  stage?: Stage
  /** Who set the current stage; a person's choice is never overwritten by a rule. */
  stageSetBy?: 'rule' | 'manual'
  /** The lead's merged, normalised fields, `email` included. */
  fields: LeadFields
  /** Required fields the lead still lacks (`missingFields`); empty means complete. */
  missing: readonly string[]
  /** The stored engagement state (`parseEngagementState(row.score_state)`). */
  state: EngagementState
  /** New touchpoints to score first: a submission's `form_submit`, attached or new events. */
  touchpoints?: readonly Touchpoint[]
  /** The lead's first touch, which fit rules over source and medium read. */
  firstTouch?: { source: string | null; medium: string | null }
  /** This submission asked for marketing email (granted, or awaiting double opt-in). */
  optIn?: boolean
  now: Date
}

/** One step a rule took. `from` is `null` for the first stage of a new lead. */
export interface StageStep {
  from: Stage | null
  to: Stage
  ruleId: string
}

export interface Classification {
  stage: Stage
  temperature: Temperature
  /** Fit score: points for what the lead said. */
  fit: number
  /** Engagement score at `now`, decayed, rounded down to a tenth (so ≥ threshold reads true). */
  engagement: number
  /** Fit reasons, then engagement reasons newest first: what `score_reasons` stores. */
  reasons: string[]
  complete: boolean
  missing: string[]
  facts: FitFacts & { complete: boolean }
  /** The state to store back in `score_state`, with `touchpoints` applied. */
  state: EngagementState
  /** Every step the rules took, in order: one stage-history row each. */
  changes: StageStep[]
  /** All steps as one: first `from`, final `to`, the last rule's id. Absent when nothing moved. */
  change?: StageStep
}

function sum(counts: Readonly<Partial<Record<string, number>>>, kinds?: readonly string[]): number {
  return Object.entries(counts)
    .filter(([kind]) => !kinds || kinds.includes(kind))
    .reduce((total, [, count]) => total + (count ?? 0), 0)
}

/**
 * Scores and stages a lead (docs/stages-and-scoring.md, docs/completeness.md). Call it on every
 * submission and whenever touchpoints of a linked visitor arrive, passing the new touchpoints;
 * store the returned `state`, scores, reasons and stage, and one history row per entry of
 * `changes`.
 *
 * - Rules only move a lead forward, one stage at a time, as long as a rule
 *   holds: a lead may go `lead → mql → sql` in one call (two `changes`).
 * - A stage set by a person (`stageSetBy: 'manual'`), a manual-only stage
 *   (`opportunity`, `customer`, `disqualified`) or a stage outside the
 *   site's model is never changed by a rule.
 * - An incomplete lead is not moved at all: it cannot pass the first stage.
 */
export function classify(input: ClassifyInput): Classification {
  const { model, rules, now } = input
  const definition = STAGE_MODEL_DEFINITIONS[model]
  const applied = input.touchpoints?.length
    ? applyTouchpoints(input.state, input.touchpoints, rules, { now })
    : input.state
  const state = input.optIn && !applied.optIn ? { ...applied, optIn: true } : applied

  const fit = scoreFit(input.fields, rules, now, {
    formIds: state.formIds,
    source: input.firstTouch?.source ?? null,
    medium: input.firstTouch?.medium ?? null,
    optIn: state.optIn,
  })
  const engagement = engagementAt(state, now, rules)
  const complete = input.missing.length === 0
  const facts = { ...fit.facts, complete }
  const lead: RuleFacts = {
    facts,
    metrics: {
      engagement,
      fit: fit.score,
      engagedMinutes: state.engagedSeconds / 60,
      pageViews: state.pageViews,
      pricingViews: state.pricingViews,
      visitDays: state.visitDays,
      forms: sum(state.forms),
      intentForms: sum(state.forms, INTENT_FORM_KINDS),
      contentForms: sum(state.forms, CONTENT_FORM_KINDS),
    },
    forms: state.forms,
  }

  const changes: StageStep[] = []
  let stage = input.stage ?? definition.first
  if (input.stage === undefined) {
    // A valid email given through a form makes a lead: it enters the first stage
    // (docs/stages-and-scoring.md#stage-models).
    changes.push({ from: null, to: stage, ruleId: `${model}.${stage}` })
  }
  const movable =
    input.stageSetBy !== 'manual' &&
    definition.stages.includes(stage) &&
    !definition.manualOnly.includes(stage) &&
    complete
  if (movable) {
    const modelRules = stageRulesFor(model, rules)
    // Each step moves strictly forward, so the loop ends within the model's length.
    for (let step = 0; step < definition.stages.length; step++) {
      const position = definition.stages.indexOf(stage)
      const rule = modelRules.find(
        (candidate) =>
          ruleSources(model, candidate).includes(stage) &&
          definition.stages.indexOf(candidate.to) > position &&
          !definition.manualOnly.includes(candidate.to) &&
          conditionHolds(candidate.when, lead, rules),
      )
      if (!rule) break
      changes.push({ from: stage, to: rule.to, ruleId: rule.id })
      stage = rule.to
    }
  }

  const first = changes[0]
  const last = changes[changes.length - 1]
  return {
    stage,
    temperature: temperatureAt(state, now, rules),
    fit: fit.score,
    engagement: Math.floor(engagement * 10 + 1e-9) / 10,
    reasons: [...fit.reasons, ...describeEngagement(state, now, rules)],
    complete,
    missing: [...input.missing],
    facts,
    state,
    changes,
    ...(first && last ? { change: { from: first.from, to: last.to, ruleId: last.ruleId } } : {}),
  }
}
