import { z } from 'zod'
import type { Scope } from './site'

/** A person's role on one site; each maps to the token scopes it grants (docs/app-sign-in.md). */
export const ROLES = ['admin', 'marketer', 'sales', 'viewer'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: ['site:admin'],
  marketer: ['reports:read', 'leads:read', 'campaigns:write'],
  sales: ['reports:read', 'leads:read', 'leads:write'],
  viewer: ['reports:read', 'leads:read'],
}

/** The role a site-token session shows in the app: the widest its scopes allow. */
export function roleOfScopes(scopes: readonly string[]): Role {
  if (scopes.includes('site:admin')) return 'admin'
  if (scopes.includes('leads:write')) return 'sales'
  if (scopes.includes('campaigns:write')) return 'marketer'
  return 'viewer'
}
