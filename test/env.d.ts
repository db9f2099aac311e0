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
