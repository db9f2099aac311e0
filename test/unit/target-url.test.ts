import { describe, expect, it } from 'vitest'
import { checkTargetUrl } from '../../worker/src/domain/target-url'

/** Where outbound calls may go (docs/outbound.md#targets). */
describe('checkTargetUrl', () => {
  it.each([
    'https://hooks.example.com/lodestone',
    'https://hooks.slack.com/services/T000/B000/XXXX',
    'https://203.0.113.1.nip.example/x',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://example.com:443/x?y=1',
  ])('allows the public https URL %s', (url) => {
    expect(checkTargetUrl(url, false).ok).toBe(true)
  })

  it.each([
    ['http://hooks.example.com/x', 'must be an https URL'],
    ['ftp://hooks.example.com/x', 'must be an https URL'],
    ['https://hooks.example.com:8443/x', 'must use port 443'],
    ['https://user:pass@hooks.example.com/x', 'must not carry credentials'],
    ['https://localhost/x', 'must not point to a local name'],
    ['https://api.localhost/x', 'must not point to a local name'],
    ['https://printer.local/x', 'must not point to a local name'],
    ['https://metadata.google.internal/x', 'must not point to a local name'],
    ['https://intranet/x', 'must not point to a local name'],
    ['https://127.0.0.1/x', 'must not point to a private or loopback address'],
    ['https://2130706433/x', 'must not point to a private or loopback address'],
    ['https://0x7f.1/x', 'must not point to a private or loopback address'],
    ['https://10.1.2.3/x', 'must not point to a private or loopback address'],
    ['https://172.16.0.1/x', 'must not point to a private or loopback address'],
    ['https://172.31.255.255/x', 'must not point to a private or loopback address'],
    ['https://192.168.1.1/x', 'must not point to a private or loopback address'],
    ['https://169.254.169.254/latest/meta-data', 'must not point to a private or loopback address'],
    ['https://100.64.0.1/x', 'must not point to a private or loopback address'],
    ['https://0.0.0.0/x', 'must not point to a private or loopback address'],
    ['https://[::1]/x', 'must not point to a private or loopback address'],
    ['https://[::ffff:127.0.0.1]/x', 'must not point to a private or loopback address'],
    ['https://[::ffff:10.0.0.1]/x', 'must not point to a private or loopback address'],
    ['https://[fd00::1]/x', 'must not point to a private or loopback address'],
    ['https://[fe80::1]/x', 'must not point to a private or loopback address'],
    ['https://[::7f00:1]/x', 'must not point to a private or loopback address'],
    ['https://[::a9fe:a9fe]/x', 'must not point to a private or loopback address'],
    ['https://[2002:7f00:1::1]/x', 'must not point to a private or loopback address'],
    ['https://[2001:0:4136:e378::1]/x', 'must not point to a private or loopback address'],
    ['https://[fec0::1]/x', 'must not point to a private or loopback address'],
    ['https://localhost../x', 'must not point to a local name'],
    ['not a url', 'is not a URL'],
  ])('refuses %s: %s', (url, reason) => {
    expect(checkTargetUrl(url, false)).toEqual({ ok: false, reason })
  })

  it('allows http and local receivers only with WEBHOOK_ALLOW_PRIVATE=on', () => {
    expect(checkTargetUrl('http://127.0.0.1:9000/hook', true).ok).toBe(true)
    expect(checkTargetUrl('http://localhost:9000/hook', true).ok).toBe(true)
    expect(checkTargetUrl('http://127.0.0.1:9000/hook', false).ok).toBe(false)
    expect(checkTargetUrl('ftp://127.0.0.1/x', true)).toEqual({
      ok: false,
      reason: 'must be an http or https URL',
    })
  })

  it('allows 172.32.0.1 and 192.169.0.1, just outside the private ranges', () => {
    expect(checkTargetUrl('https://172.32.0.1/x', false).ok).toBe(true)
    expect(checkTargetUrl('https://192.169.0.1/x', false).ok).toBe(true)
  })
})
