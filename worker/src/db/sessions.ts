/**
 * App sessions and one-time sign-in links (docs/app-sign-in.md); both are found by the SHA-256 of
 * their secret, which is never stored.
 */

export type SessionKind = 'root' | 'site' | 'user'

export interface SessionRecord {
  id: string
  kind: SessionKind
  userId: string | null
  email: string | null
  tokenId: string | null
  rootSha256: string | null
  expiresAt: string
}

export async function insertSession(
  db: D1Database,
  session: {
    id: string
    hash: string
    kind: SessionKind
    userId?: string | null
    tokenId?: string | null
    rootSha256?: string | null
    now: string
    expiresAt: string
  },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sessions (id, token_sha256, kind, user_id, token_id, root_sha256, created_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(
      session.id,
      session.hash,
      session.kind,
      session.userId ?? null,
      session.tokenId ?? null,
      session.rootSha256 ?? null,
      session.now,
      session.expiresAt,
    )
    .run()
}

/**
 * The live session of a cookie's hash: not expired, not revoked, and for a site token's session
 * the token still unrevoked.
 */
export async function findLiveSession(
  db: D1Database,
  hash: string,
  now: string,
): Promise<SessionRecord | null> {
  const row = await db
    .prepare(
      `SELECT s.id, s.kind, s.user_id, u.email, s.token_id, s.root_sha256, s.expires_at
       FROM sessions s
       LEFT JOIN users u ON u.id = s.user_id
       LEFT JOIN tokens t ON t.id = s.token_id
       WHERE s.token_sha256 = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2
         AND (s.kind <> 'site' OR (t.id IS NOT NULL AND t.revoked_at IS NULL))
         AND (s.kind <> 'user' OR u.id IS NOT NULL)`,
    )
    .bind(hash, now)
    .first<{
      id: string
      kind: SessionKind
      user_id: string | null
      email: string | null
      token_id: string | null
      root_sha256: string | null
      expires_at: string
    }>()
  return row
    ? {
        id: row.id,
        kind: row.kind,
        userId: row.user_id,
        email: row.email,
        tokenId: row.token_id,
        rootSha256: row.root_sha256,
        expiresAt: row.expires_at,
      }
    : null
}

export async function revokeSession(db: D1Database, id: string, now: string): Promise<void> {
  await db
    .prepare('UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL')
    .bind(id, now)
    .run()
}

export async function insertSignInLink(
  db: D1Database,
  link: {
    hash: string
    userId: string
    purpose: 'sign_in' | 'invite'
    now: string
    expiresAt: string
  },
): Promise<void> {
  await db
    .prepare(
      'INSERT INTO sign_in_links (token_sha256, user_id, purpose, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)',
    )
    .bind(link.hash, link.userId, link.purpose, link.now, link.expiresAt)
    .run()
}

/**
 * Uses a link once: marks it used if it is unused and unexpired, in one statement, so two
 * redemptions of the same link cannot both succeed. Answers its user, or why it failed.
 */
export async function useSignInLink(
  db: D1Database,
  hash: string,
  now: string,
): Promise<{ userId: string } | 'unknown' | 'expired'> {
  const used = await db
    .prepare(
      `UPDATE sign_in_links SET used_at = ?2
       WHERE token_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2
       RETURNING user_id`,
    )
    .bind(hash, now)
    .first<{ user_id: string }>()
  if (used) return { userId: used.user_id }
  const known = await db
    .prepare('SELECT 1 AS found FROM sign_in_links WHERE token_sha256 = ?1')
    .bind(hash)
    .first()
  return known ? 'expired' : 'unknown'
}

export async function touchUserSignIn(db: D1Database, userId: string, now: string): Promise<void> {
  await db.prepare('UPDATE users SET last_sign_in_at = ?2 WHERE id = ?1').bind(userId, now).run()
}
