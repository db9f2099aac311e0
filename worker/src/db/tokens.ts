import type { Scope } from '../../../shared/site'
import { parseJson } from './json'

export interface TokenRow {
  id: string
  site_key: string
  name: string | null
  scopes: string
  created_at: string
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
