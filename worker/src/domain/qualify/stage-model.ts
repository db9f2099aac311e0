import type { RuleCondition, RuleTest, StageRule } from '../../../../shared/rules'
import type { ResolvedRules } from './rules'
import {
  B2B_RULE_STAGES,
  B2B_STAGES,
  B2C_RULE_STAGES,
  B2C_STAGES,
  type Stage,
  type StageModel,
} from '../../../../shared/vocabulary'

/**
 * A stage model as data (docs/stages-and-scoring.md#stage-models): its stages in funnel order,
 * where a new lead starts, and which stages only people set. Its rules live in the site's settings
 * (`ResolvedRules.stageRules`), built in or the site's own.
 */
export interface StageModelDefinition {
  id: StageModel
  /** Funnel order; `disqualified` sits outside the funnel, last. */
  stages: readonly Stage[]
  first: Stage
  /** Set through the API by people, never by a rule. */
  manualOnly: readonly Stage[]
}

/** The stages of a model that no rule moves a lead to: people set them. */
const manualOnly = (stages: readonly Stage[], ruleStages: readonly Stage[]) =>
  stages.filter((stage) => !ruleStages.includes(stage))

export const STAGE_MODEL_DEFINITIONS: Record<StageModel, StageModelDefinition> = {
  b2b: {
    id: 'b2b',
    stages: B2B_STAGES,
    first: B2B_RULE_STAGES[0],
    manualOnly: manualOnly(B2B_STAGES, B2B_RULE_STAGES),
  },
  b2c: {
    id: 'b2c',
    stages: B2C_STAGES,
    first: B2C_RULE_STAGES[0],
    manualOnly: manualOnly(B2C_STAGES, B2C_RULE_STAGES),
  },
}

/** The stage a new lead of this model starts in: `lead` (b2b) or `prospect` (b2c). */
export function firstStage(model: StageModel): Stage {
  return STAGE_MODEL_DEFINITIONS[model].first
}

/**
 * Whether a person may set `toStage` on a lead of this model: any stage of
 * the model, forward or back (docs/stages-and-scoring.md#manual-stages; the route records who and
 * why).
 */
export function manualStageAllowed(model: StageModel, toStage: string): toStage is Stage {
  return (STAGE_MODEL_DEFINITIONS[model].stages as readonly string[]).includes(toStage)
}

/** The model's rules for this site: the site's own list, or the built-in one. */
export function stageRulesFor(model: StageModel, rules: ResolvedRules): readonly StageRule[] {
  return rules.stageRules[model]
}

/** Stages a rule moves a lead from: its `from`, or the stage just before `to`. */
export function ruleSources(model: StageModel, rule: StageRule): readonly Stage[] {
  if (rule.from) return rule.from
  const stages = STAGE_MODEL_DEFINITIONS[model].stages
  const previous = stages[stages.indexOf(rule.to) - 1]
  return previous ? [previous] : []
}

/** The facts and numbers a rule's tests read. */
export interface RuleFacts {
  facts: Record<Extract<RuleTest, { fact: string }>['fact'], boolean>
  metrics: Record<Extract<RuleTest, { metric: string }>['metric'], number>
  /** Form submissions per kind, ever. */
  forms: Readonly<Partial<Record<string, number>>>
}

function passes(test: RuleTest, lead: RuleFacts, rules: ResolvedRules): boolean {
  if ('fact' in test) return lead.facts[test.fact] === (test.is ?? true)
  if ('metric' in test) {
    const bound = typeof test.atLeast === 'number' ? test.atLeast : rules[test.atLeast]
    // Decay makes engagement a float; a billionth below a threshold is the threshold.
    return lead.metrics[test.metric] + 1e-9 >= bound
  }
  return test.formKinds.some((kind) => (lead.forms[kind] ?? 0) > 0)
}

/** Whether a rule's condition holds: every `all` test, and one of `any` if it has any. */
export function conditionHolds(
  when: RuleCondition,
  lead: RuleFacts,
  rules: ResolvedRules,
): boolean {
  const all = when.all ?? []
  const any = when.any ?? []
  return (
    all.every((test) => passes(test, lead, rules)) &&
    (any.length === 0 || any.some((test) => passes(test, lead, rules)))
  )
}
