import type { StageModel } from '../../../shared/site'
import type { Role } from '../../../shared/users'

/**
 * People who sign in to the app and their role on each site (docs/app-sign-in.md). An email is
 * stored lower-cased, so `Ana@Example.com` and `ana@example.com` are one person.
 */

export interface UserRow {
  id: string
  email: string
  locale: string
  created_at: string
  last_sign_in_at: string | null
}

export interface SiteUser {
  email: string
  role: Role
  invitedBy: string
  invitedAt: string
  updatedAt: string
  lastSignInAt: string | null
}

export async function findUserByEmail(db: D1Database, email: string): Promise<UserRow | null> {
  return db.prepare('SELECT * FROM users WHERE email = ?1').bind(email).first<UserRow>()
}

export async function findUserById(db: D1Database, id: string): Promise<UserRow | null> {
  return db.prepare('SELECT * FROM users WHERE id = ?1').bind(id).first<UserRow>()
}

/** The user of `email`, created when new; an existing user keeps their id and language. */
export async function ensureUser(
  db: D1Database,
  user: { id: string; email: string; locale: string; now: string },
): Promise<UserRow> {
  await db
    .prepare(
      'INSERT INTO users (id, email, locale, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (email) DO NOTHING',
    )
    .bind(user.id, user.email, user.locale, user.now)
    .run()
  return (await findUserByEmail(db, user.email))!
}

/** Sets the role; answers whether the user had no role on the site before (a new invitation). */
export async function putSiteRole(
  db: D1Database,
  grant: { userId: string; siteKey: string; role: Role; actor: string; now: string },
): Promise<boolean> {
  const before = await db
    .prepare('SELECT role FROM user_site_roles WHERE user_id = ?1 AND site_key = ?2')
    .bind(grant.userId, grant.siteKey)
    .first<{ role: string }>()
  await db
    .prepare(
      `INSERT INTO user_site_roles (user_id, site_key, role, invited_by, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?5)
       ON CONFLICT (user_id, site_key) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`,
    )
    .bind(grant.userId, grant.siteKey, grant.role, grant.actor, grant.now)
    .run()
  return before === null
}

/**
 * Removes the user's role on the site; when it was their last, their sessions end too (a session
 * of nobody's sites would only show an empty app). False when they had no role there.
 */
export async function deleteSiteRole(
  db: D1Database,
  userId: string,
  siteKey: string,
  now: string,
): Promise<boolean> {
  const [removed] = await db.batch([
    db
      .prepare('DELETE FROM user_site_roles WHERE user_id = ?1 AND site_key = ?2')
      .bind(userId, siteKey),
    db
      .prepare(
        `UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM user_site_roles WHERE user_id = ?1)`,
      )
      .bind(userId, now),
  ])
  return (removed!.meta.changes ?? 0) === 1
}

export async function listSiteUsers(db: D1Database, siteKey: string): Promise<SiteUser[]> {
  const { results } = await db
    .prepare(
      `SELECT u.email, r.role, r.invited_by, r.created_at, r.updated_at, u.last_sign_in_at
       FROM user_site_roles r JOIN users u ON u.id = r.user_id
       WHERE r.site_key = ?1 ORDER BY u.email LIMIT 1000`,
    )
    .bind(siteKey)
    .all<{
      email: string
      role: Role
      invited_by: string
      created_at: string
      updated_at: string
      last_sign_in_at: string | null
    }>()
  return results.map((row) => ({
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    invitedAt: row.created_at,
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
  }))
}

/** The user's sites with their role there, by site name. */
export async function rolesOfUser(
  db: D1Database,
  userId: string,
): Promise<{ siteKey: string; name: string; stageModel: StageModel; role: Role }[]> {
  const { results } = await db
    .prepare(
      `SELECT r.site_key, s.name, s.stage_model, r.role FROM user_site_roles r JOIN sites s ON s.site_key = r.site_key
       WHERE r.user_id = ?1 ORDER BY s.name, r.site_key`,
    )
    .bind(userId)
    .all<{ site_key: string; name: string; stage_model: StageModel; role: Role }>()
  return results.map((row) => ({
    siteKey: row.site_key,
    name: row.name,
    stageModel: row.stage_model,
    role: row.role,
  }))
}
