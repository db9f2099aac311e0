/** SQL files read as text by the tests (Vite's `?raw`), e.g. scripts/rollups-rebuild.sql. */
declare module '*.sql?raw' {
  const text: string
  export default text
}
