import { openSecret } from '../../lib/crypto'
import { alertContent, decideAlert, type AlertContent } from './alerts'
import { post } from './http'
import type { Sender } from './types'

/** Slack's mrkdwn needs these three escaped (api.slack.com/reference/surfaces/formatting). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** The incoming-webhook message: `text` for notifications, `blocks` for the channel. */
export function slackMessage(content: AlertContent): { text: string; blocks: unknown[] } {
  const facts = [
    `*${escape(content.name)}*${content.company ? ` · ${escape(content.company)}` : ''}`,
    `Score *${content.score}* (fit ${content.fitScore}, engagement ${content.engagementScore})`,
  ]
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: escape(content.headline) } },
    { type: 'section', text: { type: 'mrkdwn', text: facts.join('\n') } },
  ]
  if (content.reasons.length > 0)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: content.reasons.map((reason) => `• ${escape(reason)}`).join('\n'),
      },
    })
  if (content.url)
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in Lodestone' },
          url: content.url,
        },
      ],
    })
  return {
    text: content.url ? `${content.headline} ${content.url}` : content.headline,
    blocks,
  }
}

/**
 * A sales alert to a Slack incoming webhook (docs/outbound-integrations.md#slack). The webhook URL
 * is a credential: it is stored sealed and opened only here.
 */
export const sendSlack: Sender = async (context) => {
  const { delivery, config } = context
  if (!delivery.endpoint.secret)
    return { result: 'retry', statusCode: null, error: 'no Slack webhook URL stored' }
  const decision = await decideAlert(context)
  if (!decision.alert) return { result: 'skip', reason: decision.reason }
  const url = await openSecret(config.LODESTONE_SECRET, delivery.endpoint.secret)
  const { outcome } = await post(context, url, {
    headers: { 'content-type': 'application/json', 'user-agent': 'Lodestone-Alerts/1' },
    body: JSON.stringify(slackMessage(alertContent(decision.event, decision.on))),
  })
  return outcome
}
