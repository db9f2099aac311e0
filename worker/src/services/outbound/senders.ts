import type { EndpointKind } from '../../../../shared/vocabulary'
import { sendAlertEmail } from './alert-email'
import { sendHubspot } from './hubspot'
import { sendPipedrive } from './pipedrive'
import { sendSlack } from './slack'
import type { Sender } from './types'
import { sendWebhook } from './webhook'

/** Who sends a delivery, by its endpoint's kind (docs/outbound.md). */
export const SENDERS: Partial<Record<EndpointKind, Sender>> = {
  webhook: sendWebhook,
  slack: sendSlack,
  email: sendAlertEmail,
  hubspot: sendHubspot,
  pipedrive: sendPipedrive,
}
