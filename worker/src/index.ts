import { createApp } from './app'
import { runMaintenance } from './db/maintenance'
import { allStores } from './db/store'
import { runModelUpkeep } from './services/lead-model'
import { handleOutboundBatch, sweepOverdue, type OutboundMessage } from './services/outbound/queue'
import {
  handleTouchpointBatch,
  TOUCHPOINT_DEAD_LETTER_QUEUE,
  TOUCHPOINT_QUEUE,
} from './services/touchpoint-ingest'

const app = createApp()

export default {
  fetch: app.fetch,
  // Each queue's batches go to their own consumer: touchpoints (docs/scale.md#queue-buffered-touchpoints)
  // and outbound deliveries (docs/outbound.md).
  queue: (batch, env) =>
    batch.queue === TOUCHPOINT_QUEUE || batch.queue === TOUCHPOINT_DEAD_LETTER_QUEUE
      ? handleTouchpointBatch(batch, env)
      : handleOutboundBatch(batch as MessageBatch<OutboundMessage>, env),
  async scheduled(controller, env, _ctx) {
    // Outbound deliveries whose queue message was lost (docs/outbound.md#retries).
    const swept = await sweepOverdue(env, new Date(controller.scheduledTime))
    if (controller.cron === '*/5 * * * *') {
      console.log(`outbound sweep ${JSON.stringify({ requeued: swept })}`)
      return
    }
    // Upkeep runs on every store, each with its own sites' data (docs/scale.md#stores).
    for (const { name, db } of allStores(env)) {
      const result = await runMaintenance(db, new Date(controller.scheduledTime))
      // Counts only: nothing personal reaches the logs.
      console.log(`maintenance ${JSON.stringify({ store: name, ...result })}`)
      // The learned score (docs/stages-and-scoring.md#learned-score): train, then continue rescoring.
      const models = await runModelUpkeep(db, new Date(controller.scheduledTime))
      console.log(`models ${JSON.stringify({ store: name, ...models })}`)
    }
  },
} satisfies ExportedHandler<Env>
