import type { Scope, TokenSummary } from '../../../shared/site'
import { parseJson } from './json'

export interface TokenRow {
  id: string
  site_key: string
  name: string | null
  scopes: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface SiteToken {
  id: string
  siteKey: string
  scopes: Scope[]
}

export async function insertToken(
  db: D1Database,
  token: {
    id: string
    siteKey: string
    name: string | null
    hash: string
    scopes: Scope[]
    now: string
  },
): Promise<void> {
  await db
    .prepare(
      'INSERT INTO tokens (id, site_key, name, token_hash, scopes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
    )
    .bind(token.id, token.siteKey, token.name, token.hash, JSON.stringify(token.scopes), token.now)
    .run()
}

/** Looks a token up by the SHA-256 of its value; revoked tokens are not found. */
export async function findTokenByHash(db: D1Database, hash: string): Promise<SiteToken | null> {
  const row = await db
    .prepare('SELECT * FROM tokens WHERE token_hash = ?1 AND revoked_at IS NULL')
    .bind(hash)
    .first<TokenRow>()
  return row
    ? { id: row.id, siteKey: row.site_key, scopes: parseJson<Scope[]>(row.scopes, []) }
    : null
}

/** Marks an active token revoked; false when the site has no such active token. */
export async function revokeToken(
  db: D1Database,
  siteKey: string,
  tokenId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .prepare(
      'UPDATE tokens SET revoked_at = ?3 WHERE site_key = ?1 AND id = ?2 AND revoked_at IS NULL',
    )
    .bind(siteKey, tokenId, now)
    .run()
  return (result.meta.changes ?? 0) === 1
}

/** A site's tokens, newest first, revoked ones too; never the value nor its hash. */
export async function listTokens(db: D1Database, siteKey: string): Promise<TokenSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, site_key, name, scopes, created_at, last_used_at, revoked_at FROM tokens
       WHERE site_key = ?1 ORDER BY created_at DESC, id DESC`,
    )
    .bind(siteKey)
    .all<TokenRow>()
  return results.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: parseJson<Scope[]>(row.scopes, []),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }))
}

/**
 * Notes that a token was used now. At most one write a minute per token: a busy integration
 * sends many requests, and the list needs the minute, not every request.
 */
export async function touchToken(db: D1Database, tokenId: string, now: Date): Promise<void> {
  const minuteAgo = new Date(now.getTime() - 60_000).toISOString()
  await db
    .prepare(
      'UPDATE tokens SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?3)',
    )
    .bind(tokenId, now.toISOString(), minuteAgo)
    .run()
}
