import { createApp } from './app'
import { runMaintenance } from './db/maintenance'
import { runModelUpkeep } from './services/lead-model'

const app = createApp()

export default {
  fetch: app.fetch,
  async scheduled(controller, env, _ctx) {
    const result = await runMaintenance(env.DB, new Date(controller.scheduledTime))
    // Counts only: nothing personal reaches the logs.
    console.log(`maintenance ${JSON.stringify(result)}`)
    // The learned score (docs/stages-and-scoring.md#learned-score): train, then continue rescoring.
    const models = await runModelUpkeep(env.DB, new Date(controller.scheduledTime))
    console.log(`models ${JSON.stringify(models)}`)
  },
} satisfies ExportedHandler<Env>
