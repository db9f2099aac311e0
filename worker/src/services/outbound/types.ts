import type { ClaimedDelivery } from '../../db/outbound'
import type { Config } from '../../env'

/** What a sender is given for one attempt of one delivery (docs/outbound.md). */
export interface SendContext {
  env: Env
  config: Config
  delivery: ClaimedDelivery
  now: Date
}

/**
 * How an attempt ended:
 * - `ok`: delivered;
 * - `skip`: nothing to send for this event (an alert for a stage that does not alert);
 * - `gone`: the target answered 410, so the endpoint is switched off;
 * - `retry`: failed; tried again later, by the schedule.
 */
export type SendOutcome =
  | { result: 'ok'; statusCode: number | null }
  | { result: 'skip'; reason: string }
  | { result: 'gone'; statusCode: number }
  | { result: 'retry'; statusCode: number | null; error: string }

export type Sender = (context: SendContext) => Promise<SendOutcome>
