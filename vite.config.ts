import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { defineConfig, type Plugin, type UserConfig } from 'vite'

/**
 * Builds the widget into `dist/widget/`, which the worker serves as static assets
 * (wrangler.toml `[assets]`). Two passes, because an IIFE cannot code-split:
 *
 * 1. `vite build --mode chunk`: the Preact form chunk as an ES module, `f-<hash>.js`,
 *    plus `_headers` for the assets server;
 * 2. `vite build --mode loader`: `w.js`, one IIFE, with the chunk's file name baked
 *    in as a build-time constant.
 *
 * `npm run build:widget` runs both in that order. The chunk pass also copies the API
 * reference's renderer into `docs/reference.js` (see `emitApiReference`).
 */
const OUT = path.join(import.meta.dirname, 'dist/widget')

/**
 * Response headers for the static assets (Workers static assets read `_headers`).
 * The chunk is imported with `import()`, and module scripts are always fetched in CORS
 * mode (HTML: "fetch a single module script"), so it needs
 * `Access-Control-Allow-Origin`. `w.js` is cached briefly (its URL never changes), the
 * hashed chunk for a year.
 */
const HEADERS = `/*
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff
/w.js
  Cache-Control: public, max-age=300
/docs/*
  Cache-Control: public, max-age=300
/f-*
  Cache-Control: public, max-age=31536000, immutable
`

const emitHeaders = (): Plugin => ({
  name: 'lodestone-headers',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: '_headers', source: HEADERS })
  },
})

/**
 * The renderer of the collector's `/docs` page: Scalar's standalone browser bundle from the
 * `@scalar/api-reference` package, whose exact version the lockfile pins, served by the
 * collector itself as a static asset. So `/docs` runs no third-party code from elsewhere, works
 * with no network and can have a strict CSP (`worker/src/routes/pages.ts`).
 */
const API_REFERENCE = path.join(
  import.meta.dirname,
  'node_modules/@scalar/api-reference/dist/browser/standalone.js',
)

const emitApiReference = (): Plugin => ({
  name: 'lodestone-api-reference',
  generateBundle() {
    this.emitFile({
      type: 'asset',
      fileName: 'docs/reference.js',
      source: readFileSync(API_REFERENCE),
    })
  },
})

/** The chunk's hashed file name, written by the chunk pass. */
const findChunk = () => {
  const name = readdirSync(OUT).find((file) => /^f-[\w-]+\.js$/.test(file))
  if (!name) throw new Error('Build the form chunk first: vite build --mode chunk')
  return name
}

const shared: UserConfig = {
  publicDir: false,
  logLevel: 'warn',
  // Classic JSX, `h(type, props, ...children)`: Preact's own `createElement`, which `render`
  // needs anyway, so the bundle carries no second element factory from `preact/jsx-runtime`
  // (70 bytes gzipped, of a 10 KB budget). It has no development variant, whatever NODE_ENV
  // says (vitest sets `test`). Each TSX file imports `h` (widget/tsconfig.json says so too).
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: OUT,
    // crypto.randomUUID() already needs browsers of 2022 (MDN), so ES2022 costs no reach.
    target: 'es2022',
    minify: 'oxc',
    sourcemap: false,
    modulePreload: false,
    reportCompressedSize: false,
  },
}

export default defineConfig(({ mode }): UserConfig => {
  if (mode == 'loader')
    return {
      ...shared,
      define: { ...shared.define, __CHUNK__: JSON.stringify(findChunk()) },
      build: {
        ...shared.build,
        emptyOutDir: false,
        lib: {
          entry: 'widget/loader/index.ts',
          formats: ['iife'],
          name: 'lodestoneLoader',
          fileName: () => 'w.js',
        },
      },
    }
  return {
    ...shared,
    plugins: [emitHeaders(), emitApiReference()],
    build: {
      ...shared.build,
      emptyOutDir: true,
      // Not library mode: Vite leaves ES libraries unminified for their consumers' bundlers.
      rolldownOptions: {
        input: 'widget/form/index.tsx',
        preserveEntrySignatures: 'exports-only',
        output: { format: 'es', entryFileNames: 'f-[hash].js' },
      },
    },
  }
})
