import { describe, expect, it } from 'vitest'
import readme from '../../README.md?raw'
import { SiteInputSchema } from '../../shared/site'

describe('README', () => {
  it('shows a site override of the qualification rules that the schema accepts', () => {
    const block = /## How leads are qualified[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)
    expect(block).not.toBeNull()
    const parsed = SiteInputSchema.safeParse(JSON.parse(block![1]!))
    expect(parsed.error?.issues ?? []).toEqual([])
  })
})
