/**
 * Local HTTP receivers for the outbound tests (docs/outbound.md), run by Node for workerd's
 * outbound requests (vitest.config.ts `outboundService`): webhook receivers, a Slack incoming
 * webhook, and small stand-ins for the HubSpot and Pipedrive APIs that keep contacts the way
 * those APIs do. Tests steer and read them over HTTP at `https://control.receiver.test`.
 *
 * - `https://<anything>.receiver.test/<name>`: a webhook receiver named `<name>`;
 *   `POST control…/<name>` with `{fail, failEach, hangEach, gone, hangMs, status}` sets how it
 *   answers (`fail`: answer 500 to that many requests first; `failEach`: fail the first that many
 *   requests of each `webhook-id`, the first `hangEach` of them by not answering for 4 s;
 *   `hangMs`: delay every answer);
 *   `GET control…/<name>` reads what it received.
 * - `https://hooks.slack.com/services/<name>`: a Slack incoming webhook, read the same way.
 * - `https://api.hubapi.com`, `https://api.pipedrive.com`: `GET control…/_hubspot` and
 *   `…/_pipedrive` read their contacts, persons and leads; `POST` with `{fail}` makes them fail.
 *   A token starting with `revoked` is refused with 401, as a revoked token is.
 */

interface Received {
  at: string
  method: string
  path: string
  headers: Record<string, string>
  body: string
  status: number
}

interface Behaviour {
  fail: number
  failEach: number
  hangEach: number
  gone: boolean
  hangMs: number
  status: number
}

const receivers = new Map<string, { behaviour: Behaviour; received: Received[] }>()

function receiver(name: string) {
  let found = receivers.get(name)
  if (!found) {
    found = {
      behaviour: { fail: 0, failEach: 0, hangEach: 0, gone: false, hangMs: 0, status: 204 },
      received: [],
    }
    receivers.set(name, found)
  }
  return found
}

const hubspot = { contacts: new Map<string, Record<string, string>>(), calls: 0, fail: 0 }
const pipedrive = {
  persons: [] as { id: number; name: string; email: string; org?: string }[],
  leads: [] as { id: string; title: string; person_id: number }[],
  calls: 0,
  fail: 0,
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function record(name: string, request: Request): Promise<Response> {
  const target = receiver(name)
  const { behaviour } = target
  const body = await request.text()
  const id = request.headers.get('webhook-id')
  // Counted on arrival, so a request still hanging counts for the next one.
  const earlier = id ? target.received.filter((r) => r.headers['webhook-id'] === id).length : 0
  let status = behaviour.status
  if (behaviour.gone) status = 410
  else if (id && earlier < behaviour.failEach) status = 500
  else if (behaviour.fail > 0) {
    behaviour.fail--
    status = 500
  }
  target.received.push({
    at: new Date().toISOString(),
    method: request.method,
    path: new URL(request.url).pathname,
    headers: Object.fromEntries(request.headers),
    body,
    status,
  })
  if (behaviour.hangMs) await sleep(behaviour.hangMs)
  if (id && earlier < behaviour.hangEach) await sleep(4000)
  return new Response(status === 204 ? null : 'receiver says hello', { status })
}

async function control(request: Request, url: URL): Promise<Response> {
  const name = decodeURIComponent(url.pathname.slice(1))
  if (name === '_hubspot') {
    if (request.method === 'POST') hubspot.fail = ((await request.json()) as { fail: number }).fail
    return json({ contacts: [...hubspot.contacts.values()], calls: hubspot.calls })
  }
  if (name === '_pipedrive') {
    if (request.method === 'POST')
      pipedrive.fail = ((await request.json()) as { fail: number }).fail
    return json({ persons: pipedrive.persons, leads: pipedrive.leads, calls: pipedrive.calls })
  }
  const target = receiver(name)
  if (request.method === 'POST') {
    target.behaviour = { ...target.behaviour, ...((await request.json()) as Partial<Behaviour>) }
  }
  return json({ behaviour: target.behaviour, received: target.received })
}

async function hubspotApi(request: Request, url: URL): Promise<Response> {
  hubspot.calls++
  const authorization = request.headers.get('authorization') ?? ''
  if (!authorization.startsWith('Bearer '))
    return json({ status: 'error', message: 'missing token' }, 401)
  // A token the portal revoked: HubSpot answers 401 with category INVALID_AUTHENTICATION.
  if (authorization.startsWith('Bearer revoked'))
    return json({ status: 'error', category: 'INVALID_AUTHENTICATION' }, 401)
  if (hubspot.fail > 0) {
    hubspot.fail--
    return json({ status: 'error', message: 'try later' }, 502)
  }
  if (request.method === 'POST' && url.pathname === '/crm/v3/objects/contacts/batch/upsert') {
    const body = (await request.json()) as {
      inputs: { id: string; idProperty: string; properties: Record<string, string> }[]
    }
    const results = body.inputs.map((input) => {
      if (input.idProperty !== 'email') throw new Error('upsert by email only')
      const key = input.id.toLowerCase()
      const merged = { ...hubspot.contacts.get(key), ...input.properties, email: key }
      hubspot.contacts.set(key, merged)
      return { id: String([...hubspot.contacts.keys()].indexOf(key) + 1), properties: merged }
    })
    return json({ status: 'COMPLETE', results })
  }
  return json({ status: 'error', message: 'not found' }, 404)
}

async function pipedriveApi(request: Request, url: URL): Promise<Response> {
  pipedrive.calls++
  const token = url.searchParams.get('api_token') ?? request.headers.get('x-api-token')
  if (!token || token.startsWith('revoked'))
    return json({ success: false, error: 'unauthorized' }, 401)
  if (pipedrive.fail > 0) {
    pipedrive.fail--
    return json({ success: false, error: 'try later' }, 503)
  }
  if (request.method === 'GET' && url.pathname === '/v1/persons/search') {
    const term = (url.searchParams.get('term') ?? '').toLowerCase()
    const items = pipedrive.persons
      .filter((p) => p.email === term)
      .map((p) => ({ result_score: 1, item: { id: p.id, name: p.name, emails: [p.email] } }))
    return json({ success: true, data: { items } })
  }
  if (request.method === 'POST' && url.pathname === '/v1/persons') {
    const body = (await request.json()) as { name: string; email: { value: string }[] | string }
    const email = (Array.isArray(body.email) ? body.email[0]?.value : body.email) ?? ''
    const person = { id: pipedrive.persons.length + 1, name: body.name, email: email.toLowerCase() }
    pipedrive.persons.push(person)
    return json({ success: true, data: { id: person.id } }, 201)
  }
  const personPut = /^\/v1\/persons\/(\d+)$/.exec(url.pathname)
  if (request.method === 'PUT' && personPut) {
    const person = pipedrive.persons.find((p) => p.id === Number(personPut[1]))
    if (!person) return json({ success: false, error: 'not found' }, 404)
    const body = (await request.json()) as { name?: string }
    if (body.name) person.name = body.name
    return json({ success: true, data: { id: person.id } })
  }
  if (request.method === 'GET' && url.pathname === '/v1/leads') {
    const personId = Number(url.searchParams.get('person_id'))
    return json({ success: true, data: pipedrive.leads.filter((l) => l.person_id === personId) })
  }
  if (request.method === 'POST' && url.pathname === '/v1/leads') {
    const body = (await request.json()) as { title: string; person_id: number }
    const lead = { id: crypto.randomUUID(), title: body.title, person_id: body.person_id }
    pipedrive.leads.push(lead)
    return json({ success: true, data: { id: lead.id } }, 201)
  }
  return json({ success: false, error: 'not found' }, 404)
}

/** Answers a request workerd sent out; `null`: not a receiver's (the caller decides). */
export async function receive(request: Request): Promise<Response | null> {
  const url = new URL(request.url)
  if (url.hostname === 'control.receiver.test') return control(request, url)
  if (url.hostname.endsWith('.receiver.test')) return record(url.pathname.slice(1), request)
  if (url.hostname === 'hooks.slack.com')
    return record(`slack/${url.pathname.split('/').slice(2).join('/')}`, request)
  if (url.hostname === 'api.hubapi.com') return hubspotApi(request, url)
  if (url.hostname === 'api.pipedrive.com') return pipedriveApi(request, url)
  return null
}
