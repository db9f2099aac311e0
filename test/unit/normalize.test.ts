import { describe, expect, it } from 'vitest'
import {
  normaliseEmail,
  normaliseLine,
  normaliseMultiline,
  normalisePhone,
} from '../../worker/src/domain/normalize'
import { isDisposableDomain } from '../../worker/src/domain/disposable'
import { deliverableAddress } from '../../worker/src/mail/mailer'
import { reduceAddress } from '../../worker/src/lib/network'

describe('normaliseEmail', () => {
  it.each([
    [
      'Anna.Berg@Firma.DE',
      { email: 'Anna.Berg@firma.de', key: 'anna.berg@firma.de', domain: 'firma.de' },
    ],
    ['  a@b.de  ', { email: 'a@b.de', key: 'a@b.de', domain: 'b.de' }],
  ])('normalises %j', (raw, expected) => expect(normaliseEmail(raw)).toEqual(expected))
  it.each([
    'anna',
    'anna@',
    '@firma.de',
    'a b@c.de',
    'a@b',
    `${'a'.repeat(250)}@b.de`,
    // A label may not end (or start) with a hyphen, nor be longer than 63 characters.
    'anna@firma-.de',
    'anna@-firma.de',
    'info@müller-.de',
    `anna@${'a'.repeat(64)}.de`,
    // A local part has at most 64 characters.
    `${'a'.repeat(65)}@firma.de`,
    'anna@firma..de',
    'anna@1.2.3.4',
    'anna@firma.de:80',
    'anna@firma.de/x',
    'anna@fi%72ma.de',
  ])('refuses %j', (raw) => expect(normaliseEmail(raw)).toBeNull())
  it('accepts the longest parts allowed', () => {
    expect(normaliseEmail(`${'a'.repeat(64)}@firma.de`)).not.toBeNull()
    expect(normaliseEmail(`anna@${'a'.repeat(63)}.de`)).not.toBeNull()
  })

  // Internationalised domains are ordinary addresses in Germany, Austria and Switzerland: shown
  // as typed, compared by their ASCII (A-label) form.
  it.each([
    ['info@müller.de', 'info@müller.de', 'info@xn--mller-kva.de'],
    ['Info@MÜLLER.de', 'Info@müller.de', 'info@xn--mller-kva.de'],
    ['info@xn--mller-kva.de', 'info@xn--mller-kva.de', 'info@xn--mller-kva.de'],
    ['info@mu\u0308ller.de', 'info@müller.de', 'info@xn--mller-kva.de'],
    ['kontakt@bücher.ch', 'kontakt@bücher.ch', 'kontakt@xn--bcher-kva.ch'],
    ['post@straße.de', 'post@straße.de', 'post@xn--strae-oqa.de'],
    ['info@пример.рф', 'info@пример.рф', 'info@xn--e1afmkfd.xn--p1ai'],
  ])('accepts %j, keyed by its A-label', (raw, email, key) =>
    expect(normaliseEmail(raw)).toEqual({ email, key, domain: key.split('@')[1] }),
  )
})

describe('normalisePhone', () => {
  it.each([
    ['030 1234567', 'DE', '+49301234567'],
    ['+49 (0)30 123 4567', 'DE', '+49301234567'],
    ['(201) 555-0123', 'US', '+12015550123'],
    // An extension is kept, in the RFC 3966 form.
    ['+49 30 1234567 ext. 12', 'DE', '+49301234567;ext=12'],
    ['030 1234567 x12', 'DE', '+49301234567;ext=12'],
    ['030 1234567 Durchwahl 12', 'DE', '+49301234567;ext=12'],
    ['+49 30 1234567;ext=12', 'DE', '+49301234567;ext=12'],
  ])('parses %j in %s to E.164', (raw, country, expected) =>
    expect(normalisePhone(raw, country)).toBe(expected),
  )
  it('refuses what is not a phone number', () => expect(normalisePhone('12', 'DE')).toBeNull())
})

describe('text', () => {
  it('trims and collapses white space on one line', () =>
    expect(normaliseLine('  Firma \t  GmbH\n')).toBe('Firma GmbH'))
  it('refuses control characters', () => expect(normaliseLine('a\u0007b')).toBeNull())
  it('keeps paragraphs in multi-line text', () =>
    expect(normaliseMultiline(' a  b \r\n\r\n\r\n c ')).toBe('a b\n\nc'))
})

describe('isDisposableDomain', () => {
  it.each([
    ['mailinator.com', true],
    ['eu.mailinator.com', true],
    ['firma.de', false],
    ['gmail.com', false],
    // Sampled from the community-maintained list; the older package alone missed them.
    ['mail.tm', true],
    ['emailondeck.com', true],
    ['muell.email', true],
  ])('%s → %s', (domain, expected) => expect(isDisposableDomain(domain)).toBe(expected))
})

describe('reduceAddress', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['::ffff:192.0.2.1', '0:0:0::/48'],
    ['not an address', null],
    ['999.1.1.1', null],
  ])('%s → %s', (address, expected) => expect(reduceAddress(address)).toBe(expected))
})

describe('deliverableAddress', () => {
  it.each([
    ['info@müller.de', 'info@xn--mller-kva.de'],
    ['Anna.Berg@firma.de', 'Anna.Berg@firma.de'],
  ])('sends %s to %s', (email, expected) => expect(deliverableAddress(email)).toBe(expected))
})
