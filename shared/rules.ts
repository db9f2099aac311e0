import { z } from 'zod'

/**
 * A site's qualification settings (SPEC §2). Every number has a default;
 * a site overrides only what it names. The qualification work fills this in.
 */
export const RulesSchema = z
  .object({
    mqlThreshold: z.number().int().min(0).max(10_000).optional(),
    sqlThreshold: z.number().int().min(0).max(10_000).optional(),
  })
  .strict()
export type Rules = z.infer<typeof RulesSchema>
