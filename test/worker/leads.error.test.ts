import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  admin,
  BILINGUAL_FORM,
  call,
  createSite,
  expectProblem,
  leadBody,
  postEvents,
  postLead,
  rowCounts,
  startInFreshRateWindow,
} from './helpers'

/** Each bad-input class answers 4xx problem+json and leaves every table unchanged. */
describe('bad input to POST /v1/leads', () => {
  it.each([
    ['malformed JSON', 400, 'malformed_json', '{"siteKey": '],
    ['a wrong type', 422, 'validation_failed', { siteKey: 'SITE', formId: 7 }],
    ['a missing field', 422, 'validation_failed', 'missing-submissionId'],
    ['an over-long string', 422, 'validation_failed', 'long-name'],
    ['an invalid email', 422, 'validation_failed', 'bad-email'],
    ['an unknown site', 404, 'site_not_found', 'unknown-site'],
    ['an unknown form', 404, 'form_not_found', 'unknown-form'],
    ['a javascript: page URL', 422, 'validation_failed', 'js-url'],
    ['a field the form does not have', 422, 'validation_failed', 'extra-field'],
    ['a control character in a name', 422, 'validation_failed', 'control-char'],
    ['a consent text the form does not show', 422, 'consent_invalid', 'wrong-text'],
    ['a required consent not granted', 422, 'consent_invalid', 'no-consent'],
  ] as const)('refuses %s on POST /v1/leads', async (_name, status, code, variant) => {
    const site = await createSite()
    const good = leadBody(site)
    const bodies: Record<string, unknown> = {
      'missing-submissionId': { ...good, submissionId: undefined },
      'long-name': { ...good, fields: { ...good.fields, firstName: 'A'.repeat(5001) } },
      'bad-email': { ...good, fields: { ...good.fields, email: 'anna@@firma' } },
      'unknown-site': { ...good, siteKey: 'no-such-site' },
      'unknown-form': { ...good, formId: 'nope' },
      'js-url': { ...good, page: { url: 'javascript:alert(1)' } },
      'extra-field': { ...good, fields: { ...good.fields, salary: '1' } },
      'control-char': { ...good, fields: { ...good.fields, firstName: 'An\u0000na' } },
      'wrong-text': {
        ...good,
        consents: [{ purpose: 'marketing_email', granted: true, textId: 'ct_other' }],
      },
      'no-consent': { ...good, consents: [] },
    }
    const body = typeof variant === 'string' && variant in bodies ? bodies[variant] : variant
    const before = await rowCounts()
    const problem = await expectProblem(await postLead(site, body as object), status, code)
    if (status === 422) expect(problem.errors?.length).toBeGreaterThan(0)
    expect(await rowCounts()).toEqual(before)
  })

  it('refuses an invalid email with a field error the form can show', async () => {
    const site = await createSite()
    const good = leadBody(site)
    const problem = await expectProblem(
      await postLead(
        site,
        { ...good, fields: { ...good.fields, email: 'anna@' } },
        { language: 'en' },
      ),
      422,
    )
    expect(problem.errors).toContainEqual({
      path: 'fields.email',
      message: 'is not a valid email address',
      reason: 'email',
    })
  })

  it('refuses a disposable email domain and holds the attempt in the spam table', async () => {
    const site = await createSite()
    const good = leadBody(site)
    const before = await rowCounts()
    const problem = await expectProblem(
      await postLead(site, { ...good, fields: { ...good.fields, email: 'temp@mailinator.com' } }),
      422,
      'disposable_email',
    )
    expect(problem.errors?.[0]?.path).toBe('fields.email')
    const after = await rowCounts()
    expect(after).toEqual({ ...before, spam: before.spam! + 1 })
  })

  it('holds a filled honeypot as spam and creates no lead', async () => {
    const site = await createSite()
    const before = await rowCounts()
    await expectProblem(
      await postLead(site, leadBody(site, { honeypot: 'http://spam.example' })),
      422,
      'spam_suspected',
    )
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 1 })
  })

  it('refuses an oversized body with 413 before reading it', async () => {
    const site = await createSite()
    const before = await rowCounts()
    await expectProblem(await postLead(site, 'x'.repeat(70 * 1024)), 413, 'body_too_large')
    await expectProblem(
      await postEvents(site.origin, 'x'.repeat(300 * 1024)),
      413,
      'body_too_large',
    )
    expect(await rowCounts()).toEqual(before)
  })
})

describe('spam signals on POST /v1/leads', () => {
  it('refuses a submission without a valid start token and writes nothing', async () => {
    const site = await createSite()
    const other = await createSite()
    const before = await rowCounts()
    const missing = await postLead(site, leadBody(site, { startToken: undefined }))
    const problem = await expectProblem(missing, 422, 'start_token_invalid')
    expect(problem.errors?.[0]?.path).toBe('startToken')
    await expectProblem(
      await postLead(site, leadBody(site, { startToken: other.startToken })),
      422,
      'start_token_invalid',
    )
    expect(await rowCounts()).toEqual(before)
  })

  it('holds a form filled faster than a human can as spam with the reason too_fast', async () => {
    const site = await createSite()
    const start = (await (
      await call(`/v1/sites/${site.siteKey}/forms/wp/start`, { headers: { origin: site.origin } })
    ).json()) as { startToken: string }
    const before = await rowCounts()
    await expectProblem(
      await postLead(site, leadBody(site, { startToken: start.startToken })),
      422,
      'spam_suspected',
    )
    expect(await rowCounts()).toEqual({ ...before, spam: before.spam! + 1 })
    const { reason } = (await env.DB.prepare('SELECT reason FROM spam WHERE site_key = ?1')
      .bind(site.siteKey)
      .first()) as { reason: string }
    expect(reason).toBe('too_fast')
  })
})

describe('POST /v1/leads, submissions and floods', () => {
  it('refuses a submission id used before for another form with 409', async () => {
    const site = await createSite()
    const body = leadBody(site)
    await postLead(site, body)
    await admin(`/v1/admin/sites/${site.siteKey}/forms/other`, 'PUT', {
      kind: 'checklist',
      title: 'Checkliste',
      fields: [{ name: 'email', type: 'email', required: true, label: 'E-Mail' }],
    })
    await expectProblem(
      await postLead(site, { ...body, formId: 'other', consents: [] }),
      409,
      'submission_id_reused',
    )
  })

  it('holds a flood of rate-limited submissions as one spam entry a minute', async () => {
    const site = await createSite()
    await startInFreshRateWindow()
    for (let i = 0; i < 34; i++)
      await postLead(site, leadBody(site, { fields: { email: `f${i}@firma.de` } }), {
        ip: '192.0.2.77',
      })
    const { n } = (await env.DB.prepare(
      "SELECT count(*) AS n FROM spam WHERE site_key = ?1 AND reason = 'rate'",
    )
      .bind(site.siteKey)
      .first()) as { n: number }
    expect(n).toBe(1)
  }, 60_000)
})

describe('POST /v1/leads, rate limits', () => {
  it('answers 429 problem+json past the per-address budget and holds the submission as spam with the reason rate', async () => {
    const site = await createSite()
    await startInFreshRateWindow()
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) {
      const response = await postLead(
        site,
        leadBody(site, { fields: { email: `r${i}@firma.de` } }),
        { ip: '192.0.2.9' },
      )
      statuses.push(response.status)
      if (response.status === 429) {
        await expectProblem(response, 429, 'rate_limited')
        expect(response.headers.get('retry-after')).toBe('60')
      }
    }
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true)
    expect(statuses[30]).toBe(429)
    const other = await postLead(site, leadBody(site, { fields: { email: 'other@firma.de' } }), {
      ip: '198.51.100.1',
    })
    expect(other.status).toBe(201)
    const spam = await env.DB.prepare(
      "SELECT count(*) AS n FROM spam WHERE site_key = ?1 AND reason = 'rate'",
    )
      .bind(site.siteKey)
      .first()
    expect(spam).toEqual({ n: 1 })
  }, 60_000)
})

/** docs/wire-contract.md#errors: `detail` and field messages in the reader's language; `code` and `reason` stay. */
describe("refusals of POST /v1/leads in the visitor's language", () => {
  const phone = (site: Awaited<ReturnType<typeof createSite>>) =>
    leadBody(site, { fields: { ...leadBody(site).fields, phone: 'not a phone' } })

  it.each([
    [
      'de-DE,de;q=0.9,en;q=0.8',
      'de',
      'Einige Felder sind nicht gültig.',
      'ist keine gültige Telefonnummer',
    ],
    ['en-GB,en;q=0.9', 'en', 'Some fields are not valid.', 'is not a valid phone number'],
    [
      'fr-FR, en;q=0.5, de;q=0.4',
      'en',
      'Some fields are not valid.',
      'is not a valid phone number',
    ],
  ])(
    'answers a validation error for Accept-Language %s in %s',
    async (language, locale, detail, message) => {
      const site = await createSite()
      const response = await postLead(site, phone(site), { language })
      expect(response.headers.get('content-language')).toBe(locale)
      expect(response.headers.get('vary')).toContain('Accept-Language')
      const problem = await expectProblem(response, 422, 'validation_failed')
      expect(problem.detail).toBe(detail)
      expect(problem.errors).toEqual([{ path: 'fields.phone', reason: 'phone', message }])
    },
  )

  it("answers in the site's locale without Accept-Language, or with only languages we do not speak", async () => {
    const german = await createSite({ locale: 'de' })
    const english = await createSite({ locale: 'en' })
    const de = await expectProblem(await postLead(german, phone(german)), 422, 'validation_failed')
    expect(de.detail).toBe('Einige Felder sind nicht gültig.')
    const en = await expectProblem(
      await postLead(english, phone(english), { language: 'fr, *;q=0.1' }),
      422,
      'validation_failed',
    )
    expect(en.detail).toBe('Some fields are not valid.')
  })

  it('answers in English where the site is not known', async () => {
    const site = await createSite({ locale: 'de' })
    const problem = await expectProblem(
      await postLead(site, { ...leadBody(site), siteKey: 'no-such-site' }),
      404,
      'site_not_found',
    )
    expect(problem.detail).toMatch(/^There is no site "no-such-site"/)
  })

  it.each([
    ['de', 'Die Eingabe wurde als mutmaßlicher Spam zurückgehalten.'],
    ['en', 'The submission was held back as suspected spam.'],
  ])('holds a honeypot submission as spam and says so in %s', async (language, detail) => {
    const site = await createSite({ locale: language === 'de' ? 'en' : 'de' })
    const problem = await expectProblem(
      await postLead(site, leadBody(site, { honeypot: 'https://spam.example' }), { language }),
      422,
      'spam_suspected',
    )
    expect(problem.detail).toBe(detail)
  })

  it.each([
    [
      'de',
      'Bitte verwenden Sie eine dauerhafte E-Mail-Adresse.',
      'Bitte verwenden Sie eine dauerhafte E-Mail-Adresse, keine Wegwerfadresse.',
    ],
    [
      'en',
      'Please use a permanent email address.',
      'Please use a permanent email address, not a disposable one.',
    ],
  ])('refuses a disposable address in %s', async (language, detail, message) => {
    const site = await createSite()
    const body = leadBody(site, {
      fields: { ...leadBody(site).fields, email: 'temp@mailinator.com' },
    })
    const problem = await expectProblem(
      await postLead(site, body, { language }),
      422,
      'disposable_email',
    )
    expect(problem.detail).toBe(detail)
    expect(problem.errors).toEqual([{ path: 'fields.email', reason: 'disposable', message }])
  })

  it('names a missing required consent with the reason `required` in both languages', async () => {
    const site = await createSite()
    const body = leadBody(site, { consents: [] })
    const de = await expectProblem(
      await postLead(site, body, { language: 'de' }),
      422,
      'consent_invalid',
    )
    const en = await expectProblem(
      await postLead(site, body, { language: 'en' }),
      422,
      'consent_invalid',
    )
    expect(de.errors).toEqual([
      {
        path: 'consents.marketing_email',
        reason: 'required',
        message: 'diese Einwilligung ist erforderlich',
      },
    ])
    expect(en.errors).toEqual([
      { path: 'consents.marketing_email', reason: 'required', message: 'this consent is required' },
    ])
  })

  it('takes a select answer by its value, not by a label of one language', async () => {
    const site = await createSite({ locale: 'de' }, BILINGUAL_FORM)
    const fields = { email: 'kim@firma.de', firstName: 'Kim', lastName: 'Berg' }
    const label = await expectProblem(
      await postLead(site, leadBody(site, { fields: { ...fields, employees: '50 und mehr' } }), {
        language: 'de',
      }),
      422,
      'validation_failed',
    )
    expect(label.errors).toEqual([
      {
        path: 'fields.employees',
        reason: 'option',
        message: 'ist keine der Auswahlmöglichkeiten',
      },
    ])
    const value = await postLead(site, leadBody(site, { fields: { ...fields, employees: '50+' } }))
    expect(value.status).toBe(201)
  })
})
