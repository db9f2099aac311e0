import { useRef, useState } from 'preact/hooks'
import type { Scope, TokenCreated, TokenList, TokenSummary } from '../../../shared/site'
import type { Role } from '../../../shared/users'
import { ROLES, SCOPES } from '../../../shared/vocabulary'
import { api } from '../api'
import { Dialog } from '../components/dialog'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import './team.css'

/**
 * The people and tokens of a site (docs/app.md#team, site:admin): invite a person with a role,
 * change roles, remove people; issue scoped tokens, shown once, and revoke them.
 */
const TEXTS = defineTexts({
  title: { de: 'Team', en: 'Team' },
  people: { de: 'Personen', en: 'People' },
  peopleTable: { de: 'Liste der Personen', en: 'List of people' },
  tokensTable: { de: 'Liste der Tokens', en: 'List of tokens' },
  peopleIntro: {
    de: 'Wer sich per Link aus einer Mail an dieser Website anmelden darf, und mit welcher Rolle.',
    en: 'Who may sign in to this site with a mailed link, and with which role.',
  },
  roles: { de: 'Die Rollen', en: 'The roles' },
  email: { de: 'E-Mail', en: 'Email' },
  role: { de: 'Rolle', en: 'Role' },
  roleOf: {
    de: (email: string) => `Rolle von ${email}`,
    en: (email: string) => `Role of ${email}`,
  },
  invited: { de: 'Eingeladen von, am', en: 'Invited by, at' },
  lastSignIn: { de: 'Zuletzt angemeldet', en: 'Last sign-in' },
  never: { de: 'noch nie', en: 'never' },
  actions: { de: 'Aktionen', en: 'Actions' },
  remove: { de: 'Entfernen', en: 'Remove' },
  removeTitle: { de: 'Person entfernen?', en: 'Remove this person?' },
  removeBody: {
    de: (email: string) =>
      `${email} verliert sofort den Zugang zu dieser Website. War es die letzte Website, enden auch ihre Sitzungen.`,
    en: (email: string) =>
      `${email} loses access to this site at once. If it was their last site, their sessions end too.`,
  },
  removed: {
    de: (email: string) => `${email} entfernt.`,
    en: (email: string) => `${email} removed.`,
  },
  roleChanged: {
    de: (email: string, role: string) => `${email} ist jetzt ${role}.`,
    en: (email: string, role: string) => `${email} is now ${role}.`,
  },
  noPeople: { de: 'Noch niemand eingeladen.', en: 'Nobody invited yet.' },
  invite: { de: 'Person einladen', en: 'Invite a person' },
  inviteLang: { de: 'Sprache der Einladung', en: 'Language of the invitation' },
  german: { de: 'Deutsch', en: 'German' },
  english: { de: 'Englisch', en: 'English' },
  send: { de: 'Einladung senden', en: 'Send the invitation' },
  inviteHint: {
    de: 'Die Person bekommt eine Mail mit einem Link, der sie innerhalb von 7 Tagen einmal anmeldet. Hat sie schon eine Rolle, ändert sich nur die Rolle.',
    en: 'The person gets a mail with a link that signs them in once within 7 days. If they have a role already, only the role changes.',
  },
  invitedNow: {
    de: (email: string) => `Einladung an ${email} verschickt.`,
    en: (email: string) => `Invitation mailed to ${email}.`,
  },
  badEmail: {
    de: 'Bitte eine E-Mail-Adresse wie name@firma.de angeben.',
    en: 'Please enter an email address such as name@company.com.',
  },
  rootToken: { de: 'Root-Token', en: 'root token' },
  aToken: { de: (name: string) => `Token ${name}`, en: (name: string) => `token ${name}` },
  aPerson: { de: 'eine Person', en: 'a person' },
  tokens: { de: 'Tokens', en: 'Tokens' },
  tokensIntro: {
    de: 'Für Programme, die die API nutzen (CRM, Tabellen, Skripte), oder zum Anmelden ohne Mail. Ein Token darf nur, was seine Bereiche erlauben.',
    en: 'For programs that use the API (a CRM, spreadsheets, scripts), or to sign in without a mail. A token may only do what its scopes allow.',
  },
  scopesWord: { de: 'Bereiche', en: 'Scopes' },
  name: { de: 'Name', en: 'Name' },
  unnamed: { de: 'ohne Namen', en: 'unnamed' },
  created: { de: 'Angelegt', en: 'Created' },
  lastUsed: { de: 'Zuletzt benutzt', en: 'Last used' },
  state: { de: 'Stand', en: 'State' },
  active: { de: 'aktiv', en: 'active' },
  revokedAt: {
    de: (when: string) => `widerrufen ${when}`,
    en: (when: string) => `revoked ${when}`,
  },
  revoke: { de: 'Widerrufen', en: 'Revoke' },
  revokeTitle: { de: 'Token widerrufen?', en: 'Revoke this token?' },
  revokeBody: {
    de: (name: string) =>
      `${name} hört sofort auf zu funktionieren, auch seine Sitzungen in der App. Das lässt sich nicht rückgängig machen.`,
    en: (name: string) =>
      `${name} stops working at once, its app sessions too. This cannot be undone.`,
  },
  revoked: { de: 'Token widerrufen.', en: 'Token revoked.' },
  noTokens: { de: 'Noch keine Tokens.', en: 'No tokens yet.' },
  createToken: { de: 'Token anlegen', en: 'Create a token' },
  tokenName: { de: 'Name (wofür?)', en: 'Name (what for?)' },
  pickScope: {
    de: 'Bitte mindestens einen Bereich wählen.',
    en: 'Please choose at least one scope.',
  },
  issue: { de: 'Token anlegen', en: 'Create the token' },
  newToken: { de: 'Ihr neues Token', en: 'Your new token' },
  shownOnce: {
    de: 'Nur jetzt sichtbar; speichern Sie es in Ihrem Passwort-Manager. Nach dem Verlassen dieser Seite ist es weg.',
    en: 'Shown only now; store it in your password manager. Once you leave this screen it is gone.',
  },
  copy: { de: 'Kopieren', en: 'Copy' },
  copied: { de: 'Kopiert.', en: 'Copied.' },
  copyFailed: {
    de: 'Kopieren ging nicht; bitte markieren und selbst kopieren.',
    en: 'Could not copy; please select it and copy it yourself.',
  },
  cancel: { de: 'Abbrechen', en: 'Cancel' },
})

const ROLE_WORDS = defineTexts({
  admin: { de: 'Admin', en: 'admin' },
  marketer: { de: 'Marketing', en: 'marketer' },
  sales: { de: 'Vertrieb', en: 'sales' },
  viewer: { de: 'Lesen', en: 'viewer' },
} satisfies Record<Role, unknown>)

/** What each role may do (its scopes: shared/users.ts ROLE_SCOPES; docs/app-sign-in.md). */
const ROLE_MEANS = defineTexts({
  admin: {
    de: 'alles: Einstellungen, Formulare, Team und Tokens, dazu alles der anderen Rollen.',
    en: 'everything: settings, forms, team and tokens, and all the other roles may do.',
  },
  marketer: {
    de: 'Berichte und Leads lesen, Kampagnen und ihre Ausgaben pflegen.',
    en: 'reads reports and leads, manages campaigns and their spend.',
  },
  sales: {
    de: 'Berichte und Leads lesen, Phasen setzen (Opportunity, Kunde mit Auftragswert), Leads löschen.',
    en: 'reads reports and leads, sets stages (opportunity, customer with the deal value), erases leads.',
  },
  viewer: { de: 'Berichte und Leads nur lesen.', en: 'reads reports and leads only.' },
} satisfies Record<Role, unknown>)

const SCOPE_MEANS = defineTexts({
  'reports:read': {
    de: 'Berichte lesen: Kampagnen, Kosten pro Lead, Funnel, Übersicht.',
    en: 'read reports: campaigns, cost per lead, funnel, dashboard.',
  },
  'leads:read': {
    de: 'Leads lesen: Liste, Details, Export, Spam-Ordner.',
    en: 'read leads: the list, details, export, the spam folder.',
  },
  'leads:write': {
    de: 'Leads ändern: Phasen setzen, Leads löschen, Einwilligungslinks senden.',
    en: 'change leads: set stages, erase leads, send consent links.',
  },
  'campaigns:write': {
    de: 'Kampagnen anlegen und ihre Ausgaben importieren.',
    en: 'name campaigns and import their spend.',
  },
  'site:admin': {
    de: 'alles auf dieser Website, auch Einstellungen, Team und Tokens.',
    en: 'everything on this site, settings, team and tokens included.',
  },
} satisfies Record<Scope, unknown>)

const isEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254

interface SiteUser {
  email: string
  role: Role
  invitedBy: string
  invitedAt: string
  lastSignInAt: string | null
}

export function TeamScreen({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const base = `/v1/admin/sites/${encodeURIComponent(siteKey)}`
  const [users, reloadUsers] = useLoad(
    (signal) => api<{ users: SiteUser[] }>(`${base}/users`, { signal }),
    [base],
  )
  const [tokens, reloadTokens] = useLoad(
    (signal) => api<TokenList>(`${base}/tokens`, { signal }),
    [base],
  )
  const tokenList = tokens.state === 'done' ? tokens.value.tokens : []
  return (
    <div class="team">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <section aria-labelledby="team-people">
        <h2 id="team-people">{t.people}</h2>
        <p>{t.peopleIntro}</p>
        <RoleList />
        <Loaded value={users} onRetry={reloadUsers}>
          {({ users: list }) => (
            <People base={base} users={list} tokens={tokenList} onChange={reloadUsers} />
          )}
        </Loaded>
        <Invite base={base} onDone={reloadUsers} />
      </section>
      <section aria-labelledby="team-tokens">
        <h2 id="team-tokens">{t.tokens}</h2>
        <p>{t.tokensIntro}</p>
        <Loaded value={tokens} onRetry={reloadTokens}>
          {({ tokens: list }) => <Tokens base={base} tokens={list} onChange={reloadTokens} />}
        </Loaded>
        <CreateToken base={base} onDone={reloadTokens} />
      </section>
    </div>
  )
}

function RoleList() {
  const t = useTexts(TEXTS)
  const words = useTexts(ROLE_WORDS)
  const means = useTexts(ROLE_MEANS)
  return (
    <details class="team-roles">
      <summary>{t.roles}</summary>
      <dl>
        {ROLES.map((role) => (
          <div key={role}>
            <dt>{words[role]}</dt>
            <dd>{means[role]}</dd>
          </div>
        ))}
      </dl>
    </details>
  )
}

function RoleOptions() {
  const words = useTexts(ROLE_WORDS)
  return (
    <>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {words[role]}
        </option>
      ))}
    </>
  )
}

function People({
  base,
  users,
  tokens,
  onChange,
}: {
  base: string
  users: SiteUser[]
  tokens: TokenSummary[]
  onChange: () => void
}) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const words = useTexts(ROLE_WORDS)
  const [notice, setNotice] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [removing, setRemoving] = useState<string | null>(null)
  const path = (email: string) => `${base}/users/${encodeURIComponent(email)}`

  const by = (actor: string) => {
    if (actor === 'root') return t.rootToken
    const token = tokens.find((entry) => entry.id === actor)
    if (token || actor.startsWith('tok_')) return t.aToken(token?.name ?? actor)
    return t.aPerson
  }
  const changeRole = async (email: string, role: Role) => {
    setError(null)
    try {
      await api(path(email), { method: 'PUT', body: { role } })
      setNotice(t.roleChanged(email, words[role]))
      onChange()
    } catch (caught) {
      setError(caught)
    }
  }
  const remove = async (email: string) => {
    setError(null)
    try {
      await api(path(email), { method: 'DELETE' })
      setRemoving(null)
      setNotice(t.removed(email))
      onChange()
    } catch (caught) {
      setError(caught)
    }
  }

  return (
    <>
      <p role="status" class="team-notice">
        {notice}
      </p>
      {error !== null && removing === null && <ErrorNote error={error} />}
      {users.length ? (
        <div class="table-wrap" role="region" aria-label={t.peopleTable} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.email}</th>
                <th scope="col">{t.role}</th>
                <th scope="col">{t.invited}</th>
                <th scope="col">{t.lastSignIn}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.email}>
                  <th scope="row">{user.email}</th>
                  <td>
                    <select
                      aria-label={t.roleOf(user.email)}
                      value={user.role}
                      onChange={(e) => void changeRole(user.email, e.currentTarget.value as Role)}
                    >
                      <RoleOptions />
                    </select>
                  </td>
                  <td>
                    {by(user.invitedBy)}, {f.dateTime(user.invitedAt)}
                  </td>
                  <td>{user.lastSignInAt ? f.dateTime(user.lastSignInAt) : t.never}</td>
                  <td>
                    <button type="button" class="secondary" onClick={() => setRemoving(user.email)}>
                      {t.remove}
                      <span class="visually-hidden"> {user.email}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t.noPeople}</p>
      )}
      <Dialog open={removing !== null} title={t.removeTitle} onClose={() => setRemoving(null)}>
        <p>{t.removeBody(removing ?? '')}</p>
        {error !== null && <ErrorNote error={error} />}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setRemoving(null)}>
            {t.cancel}
          </button>
          <button type="button" class="danger" onClick={() => void remove(removing!)}>
            {t.remove}
          </button>
        </div>
      </Dialog>
    </>
  )
}

function Invite({ base, onDone }: { base: string; onDone: () => void }) {
  const t = useTexts(TEXTS)
  const words = useTexts(ROLE_WORDS)
  const lang = useLang()
  const [problem, setProblem] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const emailRef = useRef<HTMLInputElement>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const email = String(data.get('email') ?? '')
      .trim()
      .toLowerCase()
    setNotice('')
    setError(null)
    if (!isEmail(email)) {
      setProblem(t.badEmail)
      emailRef.current?.focus()
      return
    }
    setProblem(null)
    const role = String(data.get('role')) as Role
    try {
      const answer = await api<{ invited: boolean }>(`${base}/users/${encodeURIComponent(email)}`, {
        method: 'PUT',
        body: { role, lang: String(data.get('lang')) },
      })
      setNotice(answer.invited ? t.invitedNow(email) : t.roleChanged(email, words[role]))
      form.reset()
      onDone()
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <form
      class="team-form"
      aria-labelledby="team-invite"
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h3 id="team-invite">{t.invite}</h3>
      <p class="hint" id="team-invite-hint">
        {t.inviteHint}
      </p>
      <div class="team-fields">
        <label>
          {t.email}
          <input
            ref={emailRef}
            name="email"
            type="email"
            autoComplete="off"
            maxLength={254}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'team-invite-error team-invite-hint' : 'team-invite-hint'}
          />
        </label>
        <label>
          {t.role}
          <select name="role" defaultValue="viewer">
            <RoleOptions />
          </select>
        </label>
        <label>
          {t.inviteLang}
          <select name="lang" defaultValue={lang}>
            <option value="de">{t.german}</option>
            <option value="en">{t.english}</option>
          </select>
        </label>
        <button type="submit">{t.send}</button>
      </div>
      {problem && (
        <p class="field-error" id="team-invite-error">
          {problem}
        </p>
      )}
      {error !== null && <ErrorNote error={error} />}
      <p role="status" class="team-notice">
        {notice}
      </p>
    </form>
  )
}

function Tokens({
  base,
  tokens,
  onChange,
}: {
  base: string
  tokens: TokenSummary[]
  onChange: () => void
}) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const [revoking, setRevoking] = useState<TokenSummary | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const nameOf = (token: TokenSummary) => token.name ?? token.id
  const revoke = async (token: TokenSummary) => {
    setError(null)
    try {
      await api(`${base}/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' })
      setRevoking(null)
      setNotice(t.revoked)
      onChange()
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <>
      <p role="status" class="team-notice">
        {notice}
      </p>
      {tokens.length ? (
        <div class="table-wrap" role="region" aria-label={t.tokensTable} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.scopesWord}</th>
                <th scope="col">{t.created}</th>
                <th scope="col">{t.lastUsed}</th>
                <th scope="col">{t.state}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">
                    {token.name ?? <em>{t.unnamed}</em>}
                    <div class="hint">{token.id}</div>
                  </th>
                  <td>{token.scopes.join(', ')}</td>
                  <td>{f.dateTime(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? f.dateTime(token.lastUsedAt) : t.never}</td>
                  <td>{token.revokedAt ? t.revokedAt(f.dateTime(token.revokedAt)) : t.active}</td>
                  <td>
                    {!token.revokedAt && (
                      <button type="button" class="secondary" onClick={() => setRevoking(token)}>
                        {t.revoke}
                        <span class="visually-hidden"> {nameOf(token)}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t.noTokens}</p>
      )}
      <Dialog open={revoking !== null} title={t.revokeTitle} onClose={() => setRevoking(null)}>
        <p>{t.revokeBody(revoking ? nameOf(revoking) : '')}</p>
        {error !== null && <ErrorNote error={error} />}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setRevoking(null)}>
            {t.cancel}
          </button>
          <button type="button" class="danger" onClick={() => void revoke(revoking!)}>
            {t.revoke}
          </button>
        </div>
      </Dialog>
    </>
  )
}

function CreateToken({ base, onDone }: { base: string; onDone: () => void }) {
  const t = useTexts(TEXTS)
  const means = useTexts(SCOPE_MEANS)
  const [problem, setProblem] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  // The new token lives only in this component's state: leaving the screen forgets it.
  const [created, setCreated] = useState<TokenCreated | null>(null)
  const [copy, setCopy] = useState('')
  const tokenRef = useRef<HTMLInputElement>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const scopes = data.getAll('scope').map(String)
    const name = String(data.get('name') ?? '').trim()
    setError(null)
    setCopy('')
    if (!scopes.length) {
      setProblem(t.pickScope)
      form.querySelector<HTMLInputElement>('input[name="scope"]')?.focus()
      return
    }
    setProblem(null)
    try {
      const answer = await api<TokenCreated>(`${base}/tokens`, {
        method: 'POST',
        body: { scopes, ...(name ? { name } : {}) },
      })
      setCreated(answer)
      form.reset()
      onDone()
      requestAnimationFrame(() => tokenRef.current?.select())
    } catch (caught) {
      setError(caught)
    }
  }
  const copyToken = async () => {
    try {
      await navigator.clipboard.writeText(created!.token)
      setCopy(t.copied)
    } catch {
      tokenRef.current?.select()
      setCopy(t.copyFailed)
    }
  }
  return (
    <form
      class="team-form"
      aria-labelledby="team-create-token"
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h3 id="team-create-token">{t.createToken}</h3>
      <label>
        {t.tokenName}
        <input name="name" maxLength={100} autoComplete="off" />
      </label>
      <fieldset aria-describedby={problem ? 'team-scope-error' : undefined}>
        <legend>{t.scopesWord}</legend>
        {problem && (
          <p class="field-error" id="team-scope-error">
            {problem}
          </p>
        )}
        {SCOPES.map((scope) => (
          <div class="choice" key={scope}>
            <input
              type="checkbox"
              name="scope"
              value={scope}
              id={`team-scope-${scope}`}
              aria-describedby={`team-scope-${scope}-hint`}
              aria-invalid={problem ? true : undefined}
            />
            <label for={`team-scope-${scope}`}>
              <code>{scope}</code>
            </label>
            <p class="hint" id={`team-scope-${scope}-hint`}>
              {means[scope]}
            </p>
          </div>
        ))}
      </fieldset>
      <button type="submit">{t.issue}</button>
      {error !== null && <ErrorNote error={error} />}
      {created && (
        <div class="team-new-token" role="region" aria-labelledby="team-new-token">
          <h4 id="team-new-token">{t.newToken}</h4>
          <p id="team-new-token-once">{t.shownOnce}</p>
          <div class="team-token-row">
            <label for="team-token-value" class="visually-hidden">
              {t.newToken}
            </label>
            <input
              ref={tokenRef}
              id="team-token-value"
              readOnly
              value={created.token}
              aria-describedby="team-new-token-once"
              spellcheck={false}
            />
            <button type="button" onClick={() => void copyToken()}>
              {t.copy}
            </button>
          </div>
          <p role="status" class="hint">
            {copy}
          </p>
        </div>
      )}
    </form>
  )
}
