/**
 * One start token, one submission (docs/spam-and-abuse.md#one-token-one-submission): the first
 * submission to use a token claims it, and later ones learn whose it is.
 * @returns the submission id the token belongs to (`submissionId` itself when the claim was new)
 */
export async function claimStartToken(
  db: D1Database,
  use: { tokenSha256: string; siteKey: string; submissionId: string; expiresAt: string },
): Promise<string | null> {
  // Insert, then read, in one transaction: of two concurrent claims exactly one is recorded.
  const [, owner] = await db.batch<{ submission_id: string }>([
    db
      .prepare(
        `INSERT INTO start_token_uses (token_sha256, site_key, submission_id, expires_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (token_sha256) DO NOTHING`,
      )
      .bind(use.tokenSha256, use.siteKey, use.submissionId, use.expiresAt),
    db
      .prepare('SELECT submission_id FROM start_token_uses WHERE token_sha256 = ?1')
      .bind(use.tokenSha256),
  ])
  return owner?.results[0]?.submission_id ?? null
}

/** Gives a token back when its submission could not be stored, so a retry of it may use it. */
export async function releaseStartToken(
  db: D1Database,
  tokenSha256: string,
  submissionId: string,
): Promise<void> {
  await db
    .prepare('DELETE FROM start_token_uses WHERE token_sha256 = ?1 AND submission_id = ?2')
    .bind(tokenSha256, submissionId)
    .run()
}
