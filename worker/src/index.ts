import { createApp } from './app'
import { runMaintenance } from './db/maintenance'

const app = createApp()

export default {
  fetch: app.fetch,
  async scheduled(controller, env, _ctx) {
    const result = await runMaintenance(env.DB, new Date(controller.scheduledTime))
    // Counts only: nothing personal reaches the logs.
    console.log(`maintenance ${JSON.stringify(result)}`)
  },
} satisfies ExportedHandler<Env>
