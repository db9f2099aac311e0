import type { LeadSubmissionResult } from '../../../shared/leads'
import type { Config } from '../env'
import { signToken } from '../lib/crypto'

/** The payload of a signed download link; see routes/downloads.ts. */
export interface DownloadClaim {
  s: string
  sub: string
  exp: number
}

/** A gated asset's short-lived link, signed for the submission that unlocked it. */
export async function signDownloadLink(
  config: Pick<Config, 'DOWNLOAD_TTL_SECONDS' | 'LODESTONE_SECRET'>,
  origin: string,
  claim: { siteKey: string; submissionId: string; filename: string },
  now: Date,
): Promise<NonNullable<LeadSubmissionResult['download']>> {
  const exp = Math.floor(now.getTime() / 1000) + config.DOWNLOAD_TTL_SECONDS
  const payload: DownloadClaim = { s: claim.siteKey, sub: claim.submissionId, exp }
  const token = await signToken(config.LODESTONE_SECRET, payload)
  return {
    url: `${origin}/v1/downloads/${token}`,
    filename: claim.filename,
    expiresAt: new Date(exp * 1000).toISOString(),
  }
}
