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
/app/assets/*
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

/**
 * Property names that only the form chunk's own code (Preact's and ours) reads or writes, which
 * the minifier shortens there (rolldown `mangleProps`, consistently across the chunk):
 *
 * - Preact's internal fields (`__k`, `__e`, `__c`, …, its own short names for vnode and component
 *   state): 47 bytes gzip. `__html` (dangerouslySetInnerHTML) and `__proto__` never match;
 * - the class-component lifecycle and the `options` hooks for add-ons: the chunk has function
 *   components only and no add-on (devtools, debug), so Preact's checks for them always find
 *   nothing, now under shorter names: 106 bytes gzip;
 * - `props`, `state`, `context` of vnodes and component instances, which only Preact reads (the
 *   chunk's components take their props as an argument, and `state` is also a prop of `FormView`,
 *   renamed alike): 15 bytes gzip;
 * - our own internal keys: `FormView`'s props `strings` and `onClose`, its view state's `busy` and
 *   `result`. Not the widget's texts: they come with the config (shared/widget-texts.ts).
 *
 * Not `render` (Turnstile's API has one), nor any name that the DOM, the wire (the config, the
 * answers), the loader's `ctx` or Preact's string comparisons (`'children'`) use: those must stay.
 */
const CHUNK_PRIVATE = new RegExp(
  `^(__[a-zA-Z]?|${[
    'componentWillMount',
    'componentDidMount',
    'componentWillReceiveProps',
    'shouldComponentUpdate',
    'componentWillUpdate',
    'getSnapshotBeforeUpdate',
    'componentDidUpdate',
    'componentWillUnmount',
    'componentDidCatch',
    'getDerivedStateFromProps',
    'getDerivedStateFromError',
    'getChildContext',
    'contextType',
    'setState',
    'forceUpdate',
    'debounceRendering',
    'vnode',
    'diffed',
    'unmount',
    'props',
    'state',
    'context',
    'strings',
    'onClose',
    'busy',
    'result',
  ].join('|')})$`,
)

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

/**
 * The app for marketers and site owners (app/, docs/app.md): a Preact single-page app under
 * `/app/`, built into `dist/widget/app/` beside the widget, so the same assets server carries it.
 * The worker answers `/app` and every route under it with `index.html` and the app's CSP
 * (worker/src/routes/app.ts); the hashed files under `/app/assets/` come straight from the assets
 * server. JSX here is Preact's automatic runtime: the app has no byte budget as tight as the
 * widget's.
 */
const app = (): UserConfig => ({
  root: 'app',
  base: '/app/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The form builder's preview imports the built form chunk by its name (docs/app.md#forms).
  define: { ...shared.define, __CHUNK__: JSON.stringify(findChunk()) },
  build: {
    outDir: path.join(OUT, 'app'),
    emptyOutDir: true,
    target: 'es2022',
    minify: 'oxc',
    sourcemap: false,
    // No inline polyfill script: the CSP allows scripts from the app's own files only.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    assetsDir: 'assets',
  },
})

export default defineConfig(({ mode }): UserConfig => {
  if (mode == 'app') return app()
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
        output: {
          format: 'es',
          // Six hash characters (36 bits) are plenty to bust caches; the name is in `w.js`: 2 B gzip.
          entryFileNames: 'f-[hash:6].js',
          minify: { mangleProps: { include: CHUNK_PRIVATE } },
        },
      },
    },
  }
})
