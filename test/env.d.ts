declare namespace Cloudflare {
  interface Env {
    /** Test-only binding: the real migrations, read in vitest.config.ts. */
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    /** Test-only binding: payloads per public endpoint in the fuzz files, from `FUZZ_RUNS`. */
    FUZZ_RUNS: string
  }
}
declare module '*.md?raw' {
  const text: string
  export default text
}
/**
 * The one call of workerd's `node:crypto` (the `nodejs_compat` flag) the tests use: a synchronous
 * HMAC, so `leadBody` can sign a fresh start token for every submission (test/worker/helpers.ts).
 */
declare module 'node:crypto' {
  export function createHmac(
    algorithm: 'sha256',
    key: string,
  ): { update(data: string): { digest(): Uint8Array } }
}
