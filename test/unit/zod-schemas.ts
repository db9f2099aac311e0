import { z } from 'zod'

/** A schema and every schema it is built of (fields, items, options, wrapped schemas), each once. */
export function schemasIn(schema: z.ZodType, found = new Set<z.ZodType>()): Set<z.ZodType> {
  if (found.has(schema)) return found
  found.add(schema)
  const visit = (value: unknown) => {
    if (value instanceof z.ZodType) schemasIn(value, found)
    else if (Array.isArray(value)) value.forEach(visit)
  }
  for (const [key, value] of Object.entries(schema._zod.def)) {
    if (key === 'shape' && value && typeof value === 'object') Object.values(value).forEach(visit)
    else visit(value)
  }
  return found
}
