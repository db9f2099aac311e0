import { z } from 'zod'
import type { Scope } from './site'
import { ROLES, STAGE_MODELS } from './vocabulary'

/** A person's role on one site; each maps to the token scopes it grants (docs/app-sign-in.md). */
export { ROLES } from './vocabulary'
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

/** A person's address as the app takes it: trimmed and lower-cased before it is stored or compared. */
export const USER_EMAIL = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('an email address'))
  .transform((value) => value.toLowerCase())

/** `POST /v1/auth/sessions`: a root or site token becomes a session. */
export const TokenSignInSchema = z
  .object({ token: z.string().min(16).max(200) })
  .strict()
  .meta({ example: { token: 'Qm9yZ2VuMjAyNi1zaXRlLXRva2Vu' } })

/** `POST /v1/auth/links`: mail me a sign-in link. */
export const LinkRequestSchema = z
  .object({
    email: USER_EMAIL.meta({ example: 'ana@example.com' }),
    lang: z
      .enum(['de', 'en'])
      .optional()
      .describe('the language of the mail, when the person has none yet'),
  })
  .strict()
  .meta({ example: { email: 'ana@example.com', lang: 'de' } })

/** `POST /v1/auth/links/redeem`: the secret of a mailed sign-in or invitation link. */
export const LinkRedeemSchema = z
  .object({
    link: z
      .string()
      .min(16)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'a link secret'),
  })
  .strict()
  .meta({ example: { link: 'bGlua19mcm9tX3RoZV9tYWlsX2luX3RoZV9mcmFnbWVudA' } })

export const SessionSiteSchema = z.object({
  siteKey: z.string(),
  name: z.string(),
  stageModel: z.enum(STAGE_MODELS).describe('the words of its stages (b2b or b2c)'),
  role: RoleSchema,
  scopes: z.array(z.string()),
})

/** `GET /v1/auth/session`: who is signed in and which sites they may open, with their role there. */
export const SessionSchema = z
  .object({
    kind: z.enum(['root', 'site', 'user']),
    email: z.string().nullable(),
    expiresAt: z.string().nullable().describe('null when the request came with a bearer token'),
    sites: z.array(SessionSiteSchema),
  })
  .meta({
    example: {
      kind: 'user',
      email: 'ana@example.com',
      expiresAt: '2026-12-10T09:00:00.000Z',
      sites: [
        {
          siteKey: 'acme',
          name: 'ACME',
          stageModel: 'b2b',
          role: 'marketer',
          scopes: ['reports:read', 'leads:read', 'campaigns:write'],
        },
      ],
    },
  })
export type SessionInfo = z.infer<typeof SessionSchema>

/** `PUT /v1/admin/sites/{siteKey}/users/{email}`: invite a person, or change their role. */
export const UserRoleInputSchema = z
  .object({
    role: RoleSchema,
    lang: z.enum(['de', 'en']).optional().describe("the invitation's language; default the site's"),
  })
  .strict()
  .meta({ example: { role: 'marketer', lang: 'de' } })

export const SiteUserSchema = z
  .object({
    email: z.string(),
    role: RoleSchema,
    invitedBy: z.string(),
    invitedAt: z.string(),
    updatedAt: z.string(),
    lastSignInAt: z.string().nullable(),
  })
  .meta({
    example: {
      email: 'ana@example.com',
      role: 'marketer',
      invitedBy: 'root',
      invitedAt: '2026-12-01T09:00:00.000Z',
      updatedAt: '2026-12-01T09:00:00.000Z',
      lastSignInAt: null,
    },
  })

export const SiteUserListSchema = z.object({ users: z.array(SiteUserSchema) }).meta({
  example: {
    users: [
      {
        email: 'ana@example.com',
        role: 'marketer',
        invitedBy: 'root',
        invitedAt: '2026-12-01T09:00:00.000Z',
        updatedAt: '2026-12-01T09:00:00.000Z',
        lastSignInAt: '2026-12-02T08:12:00.000Z',
      },
    ],
  },
})

export const UserRemovedSchema = z
  .object({ email: z.string(), removedAt: z.string() })
  .meta({ example: { email: 'ana@example.com', removedAt: '2026-12-03T10:00:00.000Z' } })

export const LinkAcceptedSchema = z
  .object({ accepted: z.literal(true) })
  .meta({ example: { accepted: true } })

export const SignedOutSchema = z
  .object({ signedOut: z.literal(true) })
  .meta({ example: { signedOut: true } })

export const UserRoleResultSchema = SiteUserSchema.extend({
  invited: z
    .boolean()
    .describe('true when this made the person a user of the site and mailed them'),
}).meta({
  example: {
    email: 'ana@example.com',
    role: 'marketer',
    invitedBy: 'root',
    invitedAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    lastSignInAt: null,
    invited: true,
  },
})
