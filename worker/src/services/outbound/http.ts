import { checkTargetUrl } from '../../domain/target-url'
import type { SendContext, SendOutcome } from './types'

/**
 * One outbound HTTP call as every sender makes it (a `GET` when `init` has no body): to a checked target (docs/outbound.md#targets),
 * within the timeout, without following redirects. A 2xx is `ok`, 410 is `gone`, anything else
 * (and no answer) is `retry`, with a short error that never holds the body sent.
 */
export async function post(
  context: Pick<SendContext, 'config'>,
  url: string,
  init: { headers: Record<string, string>; body?: string; method?: string },
  options: { checkTarget?: boolean } = {},
): Promise<{ outcome: SendOutcome; response: Response | null }> {
  const { config } = context
  if (options.checkTarget !== false) {
    const checked = checkTargetUrl(url, config.WEBHOOK_ALLOW_PRIVATE === 'on')
    if (!checked.ok)
      return {
        outcome: { result: 'retry', statusCode: null, error: `target ${checked.reason}` },
        response: null,
      }
  }
  let response: Response
  try {
    response = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(config.WEBHOOK_TIMEOUT_SECONDS * 1000),
    })
  } catch (error) {
    const timedOut =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return {
      outcome: {
        result: 'retry',
        statusCode: null,
        error: timedOut
          ? `no answer within ${config.WEBHOOK_TIMEOUT_SECONDS} s`
          : 'connection failed',
      },
      response: null,
    }
  }
  if (response.status >= 200 && response.status < 300)
    return { outcome: { result: 'ok', statusCode: response.status }, response }
  await response.body?.cancel()
  if (response.status === 410)
    return { outcome: { result: 'gone', statusCode: 410 }, response: null }
  const error =
    response.status >= 300 && response.status < 400
      ? `redirect to elsewhere (not followed)`
      : `answered ${response.status}`
  return { outcome: { result: 'retry', statusCode: response.status, error }, response: null }
}
