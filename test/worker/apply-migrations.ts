import { applyD1Migrations, env } from 'cloudflare:test'

// Setup files run outside per-test storage and may run more than once;
// applyD1Migrations only applies what is not applied yet.
// Every store has the same migrations (docs/scale.md#stores).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
await applyD1Migrations(env.DB_LARGE, env.TEST_MIGRATIONS)
