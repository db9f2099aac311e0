import type { EndpointKind } from '../../../../shared/vocabulary'
import type { Sender } from './types'
import { sendWebhook } from './webhook'

/** Who sends a delivery, by its endpoint's kind (docs/outbound.md). */
export const SENDERS: Partial<Record<EndpointKind, Sender>> = {
  webhook: sendWebhook,
}
