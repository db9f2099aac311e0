import path from 'node:path'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { receive } from './test/worker/receivers'

/**
 * Two kinds of tests:
 * - `worker`: inside workerd, against a real local D1 with the real migrations;
 * - `browser`: Node drives Chromium (any installed one, else the one in
 *   `@sparticuz/chromium`: test/browser/chromium.ts) against the built widget and
 *   a `wrangler dev` collector on another origin.
 */
/**
 * Payloads per public endpoint in the fuzz files (test/worker/fuzz/). CI runs
 * `FUZZ_RUNS=10000 npm test`; the default keeps the developer loop short.
 */
const DEFAULT_FUZZ_RUNS = '1000'

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'))
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  FUZZ_RUNS: process.env.FUZZ_RUNS || DEFAULT_FUZZ_RUNS,
                  LODESTONE_ROOT_TOKEN: 'test-root-token-0123456789abcdef',
                  LODESTONE_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
                  // Cloudflare's documented Turnstile test keys.
                  TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
                  TURNSTILE_SECRET: '1x0000000000000000000000000000000AA',
                  // Outbound (docs/outbound.md): retries at once, and a short timeout for the
                  // receivers that hang.
                  WEBHOOK_RETRY_BASE_SECONDS: '0',
                  WEBHOOK_TIMEOUT_SECONDS: '2',
                  // Stores (docs/scale.md#stores): sites whose key starts with `large-` live in
                  // DB_LARGE (test/worker/stores.happy.test.ts); every other site in DB.
                  SITE_STORES: JSON.stringify({ 'large-*': 'DB_LARGE' }),
                  // Touchpoints are written in the request, so a test reads them right after its
                  // POST; test/worker/events.queue.happy.test.ts runs the queue mode.
                  TOUCHPOINT_QUEUE: 'off',
                },
                // The outbound queues as wrangler.toml has them, with a batch wait of 50 ms instead
                // of a second, so the retry tests take a fraction of the time.
                queueConsumers: {
                  'lodestone-outbound': {
                    maxBatchSize: 10,
                    maxBatchTimeout: 0.05,
                    maxRetries: 17,
                    deadLetterQueue: 'lodestone-outbound-dlq',
                  },
                  'lodestone-outbound-dlq': { maxBatchSize: 10, maxBatchTimeout: 0.05 },
                  // The touchpoint queues likewise, retried after a second instead of five.
                  'lodestone-touchpoints': {
                    maxBatchSize: 100,
                    maxBatchTimeout: 0.05,
                    maxRetries: 10,
                    retryDelay: 1,
                    deadLetterQueue: 'lodestone-touchpoints-dlq',
                  },
                  'lodestone-touchpoints-dlq': {
                    maxBatchSize: 100,
                    maxBatchTimeout: 0.05,
                    maxRetries: 100,
                  },
                },
                // Tests have no network: outbound deliveries go to the local receivers
                // (test/worker/receivers.ts), and Turnstile's siteverify to this stand-in for
                // Cloudflare, which passes the documented dummy token only.
                outboundService: async (request: Request) => {
                  const received = await receive(request)
                  if (received) return received
                  const url = new URL(request.url)
                  if (url.hostname !== 'challenges.cloudflare.com') {
                    return new Response('no network in tests', { status: 502 })
                  }
                  const form = await request.formData()
                  const success = form.get('response') === 'XXXX.DUMMY.TOKEN.XXXX'
                  return Response.json({
                    success,
                    'error-codes': success ? [] : ['invalid-input-response'],
                  })
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/worker/**/*.test.ts', 'test/unit/**/*.test.ts'],
            setupFiles: ['test/worker/apply-migrations.ts'],
            // One workerd per worker for all the files it runs, not one per file: starting it took
            // ~3 s a file, 4 minutes of the run. Each worker has its own storage and runs its files
            // one after another, so files share a database only in sequence; every test makes its
            // own site and measures writes relative to what was there before.
            isolate: false,
          },
        },
        {
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            environment: 'node',
            // Finds the browser (or stops the run with one line) and builds the widget, once.
            globalSetup: ['test/browser/global-setup.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  }
})
