import { describe, expect, it } from 'vitest'
import {
  attachableAnonymous,
  type JourneyCandidate,
} from '../../worker/src/domain/anonymous-journey'

const SITE = 'https://www.acme.example'
const T0 = Date.parse('2026-11-22T09:00:00.000Z')

/** A row `minutes` after 09:00 on `path`, reached from `from` (a path of the site, a URL elsewhere, or none). */
function row(
  id: string,
  minutes: number,
  path: string,
  from: string | null,
  { type = 'page_view', own = false }: { type?: string; own?: boolean } = {},
): JourneyCandidate {
  return {
    eventId: id,
    type,
    occurredAt: new Date(T0 + minutes * 60_000).toISOString(),
    url: SITE + path,
    referrer: from === null ? null : from.startsWith('/') ? SITE + from : from,
    own,
  }
}

/** The rows `minutes` later. */
function shift(rows: JourneyCandidate[], minutes: number): JourneyCandidate[] {
  return rows.map((r) => ({
    ...r,
    occurredAt: new Date(Date.parse(r.occurredAt) + minutes * 60_000).toISOString(),
  }))
}

const at = (minutes: number, path = '/whitepaper') => ({
  url: SITE + path,
  at: new Date(T0 + minutes * 60_000).toISOString(),
})

describe('attachableAnonymous', () => {
  it('attaches one chain from a landing to the submitting page', () => {
    const rows = [
      row('a', 0, '/', 'https://www.linkedin.com/'),
      row('b', 3, '/pricing', '/'),
      row('c', 5, '/whitepaper', '/pricing'),
      row('d', 6, '/whitepaper', null, { type: 'form_view' }),
    ]
    expect(attachableAnonymous(rows, at(8))).toEqual(['a', 'b', 'c', 'd'])
  })

  it('attaches nothing when a second landing shares the stretch (another person)', () => {
    const rows = [
      row('a', 0, '/', 'https://www.linkedin.com/'),
      row('x', 2, '/', null),
      row('b', 3, '/pricing', '/'),
      row('c', 5, '/whitepaper', '/pricing'),
    ]
    expect(attachableAnonymous(rows, at(8))).toEqual([])
  })

  it('attaches nothing when a page is reached from another than the one before', () => {
    const rows = [
      row('a', 0, '/', null),
      row('b', 3, '/pricing', '/'),
      row('x', 4, '/jobs', '/'),
      row('c', 5, '/whitepaper', '/pricing'),
    ]
    expect(attachableAnonymous(rows, at(8))).toEqual([])
  })

  it('attaches nothing when an event happens on another page than the current one', () => {
    const rows = [
      row('a', 0, '/', null),
      row('b', 3, '/whitepaper', '/'),
      row('x', 4, '/jobs', null, { type: 'cta_click' }),
    ]
    expect(attachableAnonymous(rows, at(8))).toEqual([])
  })

  it('attaches nothing when the chain does not end at the submitting page', () => {
    const rows = [row('a', 0, '/', null), row('b', 3, '/pricing', '/')]
    expect(attachableAnonymous(rows, at(8))).toEqual([])
  })

  it('attaches nothing when the last activity is more than 30 minutes before the submission', () => {
    const rows = [row('a', 0, '/whitepaper', null)]
    expect(attachableAnonymous(rows, at(31))).toEqual([])
    expect(attachableAnonymous(rows, at(30))).toEqual(['a'])
  })

  it('attaches only the last stretch: an earlier visit after a gap over 30 minutes stays', () => {
    const rows = [
      row('early', 0, '/jobs', 'https://www.google.com/'),
      row('a', 45, '/', null),
      row('b', 46, '/whitepaper', '/'),
    ]
    expect(attachableAnonymous(rows, at(50))).toEqual(['a', 'b'])
  })

  it('attaches nothing when the stretch starts with a page reached from within the site', () => {
    const rows = [row('b', 0, '/pricing', '/'), row('c', 2, '/whitepaper', '/pricing')]
    expect(attachableAnonymous(rows, at(5))).toEqual([])
  })

  it('attaches nothing when a page continues from where earlier activity stopped (a tab left open)', () => {
    const rows = [
      row('y1', 0, '/', null),
      row('y2', 1, '/pricing', '/'),
      // 40 minutes later: a landing, then a page reached from /pricing, where the earlier stretch stopped.
      row('x', 41, '/', null),
      row('y3', 42, '/whitepaper', '/pricing'),
    ]
    expect(attachableAnonymous(rows, at(45))).toEqual([])
  })

  it('lets a page continue from where activity stopped more than two hours before', () => {
    const rows = [
      row('z1', 0, '/', null),
      row('z2', 1, '/pricing', '/'),
      row('a', 181, '/pricing', 'https://www.google.com/'),
      row('b', 182, '/whitepaper', '/pricing'),
    ]
    expect(attachableAnonymous(rows, at(185))).toEqual(['a', 'b'])
    // Within two hours the same pages may be an idle tab's.
    expect(attachableAnonymous(shift(rows.slice(2), -90).concat(rows.slice(0, 2)), at(95))).toEqual(
      [],
    )
  })

  it("takes the submitter's own rows into the chain but returns only anonymous ones", () => {
    const rows = [
      row('a', 0, '/', 'https://www.linkedin.com/'),
      row('b', 2, '/pricing', '/', { own: true }),
      row('c', 4, '/whitepaper', '/pricing', { own: true }),
    ]
    expect(attachableAnonymous(rows, at(6))).toEqual(['a'])
  })

  it("attaches nothing anonymous after the submitter's first own row: that is somebody else's", () => {
    const rows = [
      row('own', 0, '/', null, { own: true }),
      row('x', 50, '/', null),
      row('own2', 52, '/whitepaper', '/', { own: true }),
    ]
    expect(attachableAnonymous(rows, at(55))).toEqual([])
  })

  it('ignores rows after the submission and orders by time, not by input order', () => {
    const rows = [
      row('b', 3, '/whitepaper', '/'),
      row('a', 0, '/', null),
      row('later', 20, '/', null),
    ]
    expect(attachableAnonymous(rows, at(10))).toEqual(['a', 'b'])
  })

  it('attaches nothing when there is nothing', () => {
    expect(attachableAnonymous([], at(0))).toEqual([])
  })
})
