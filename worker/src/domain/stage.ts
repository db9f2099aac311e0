import type { Stage, StageModel, Temperature } from '../../../shared/site'

/**
 * The stage a new lead starts in. The qualification work replaces this with
 * the rule engine; every caller goes through here.
 */
export function initialStage(model: StageModel): Stage {
  return model === 'b2c' ? 'prospect' : 'lead'
}

export function initialTemperature(): Temperature {
  return 'warm'
}
