declare namespace Cloudflare {
  interface Env {
    /** Test-only binding: the real migrations, read in vitest.config.ts. */
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
  }
}
declare module '*.md?raw' {
  const text: string
  export default text
}
