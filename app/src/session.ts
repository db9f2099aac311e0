import { createContext } from 'preact'
import { useContext } from 'preact/hooks'

/**
 * Who is signed in, as `GET /v1/auth/session` answers (docs/app-sign-in.md): the root token, a
 * site token, or a person invited by email, and the sites they may open with their role there.
 */
export type Role = 'admin' | 'marketer' | 'sales' | 'viewer'
export type Scope = 'reports:read' | 'leads:read' | 'leads:write' | 'campaigns:write' | 'site:admin'

export interface SessionSite {
  siteKey: string
  name: string
  /** The words of its stages: `b2c` names them prospect, engaged, interested, need recognised. */
  stageModel: 'b2b' | 'b2c'
  role: Role
  scopes: Scope[]
}

export interface Session {
  kind: 'root' | 'site' | 'user'
  email: string | null
  expiresAt: string | null
  sites: SessionSite[]
}

export interface SessionState {
  session: Session
  /** Reads the session again (after a change of roles, for example). */
  refresh: () => Promise<void>
  signOut: () => Promise<void>
}

export const SessionContext = createContext<SessionState | null>(null)

export function useSession(): SessionState {
  const state = useContext(SessionContext)
  if (!state) throw new Error('useSession outside a signed-in screen')
  return state
}

/** Whether the session may do what `scope` allows on `siteKey` (`site:admin` holds every scope). */
export function can(session: Session, siteKey: string, scope: Scope): boolean {
  if (session.kind === 'root') return true
  const site = session.sites.find((entry) => entry.siteKey === siteKey)
  return !!site && (site.scopes.includes(scope) || site.scopes.includes('site:admin'))
}

export const useCan = (siteKey: string) => {
  const { session } = useSession()
  return (scope: Scope) => can(session, siteKey, scope)
}
