import { endpointSettings } from '../../db/outbound'
import { siteStore } from '../../db/store'
import { createMailer } from '../../mail/mailer'
import { alertContent, decideAlert, type AlertContent } from './alerts'
import type { Sender } from './types'

export function alertMail(content: AlertContent): { subject: string; text: string } {
  const lines = [
    content.headline,
    '',
    `Name: ${content.name}`,
    ...(content.company ? [`Company: ${content.company}`] : []),
    `Score: ${content.score} (fit ${content.fitScore}, engagement ${content.engagementScore})`,
  ]
  if (content.reasons.length > 0)
    lines.push('', 'Why:', ...content.reasons.map((reason) => `- ${reason}`))
  if (content.url) lines.push('', `Open the lead in Lodestone: ${content.url}`)
  return { subject: content.headline, text: `${lines.join('\n')}\n` }
}

/** A sales alert by mail to the sales team's address (docs/outbound-integrations.md#email). */
export const sendAlertEmail: Sender = async (context) => {
  const { delivery, env, config } = context
  const { to } = endpointSettings<{ to: string | null }>(delivery.endpoint, { to: null })
  if (!to) return { result: 'retry', statusCode: null, error: 'no address to send the alert to' }
  const decision = await decideAlert(context)
  if (!decision.alert) return { result: 'skip', reason: decision.reason }
  const mail = alertMail(alertContent(decision.event, decision.on))
  await createMailer(siteStore(env, delivery.endpoint.site_key), config).send({
    siteKey: delivery.endpoint.site_key,
    leadId: decision.event.leadId,
    to,
    ...mail,
  })
  return { result: 'ok', statusCode: null }
}
