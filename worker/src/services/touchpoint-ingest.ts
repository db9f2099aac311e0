import { z } from 'zod'
import { HTTP_URL, ISO_DATETIME, SITE_KEY, UUID } from '../../../shared/common'
import { MAX_EVENTS_PER_BATCH, TouchpointInputSchema } from '../../../shared/events'
import { OriginSchema, type Site } from '../../../shared/site'
import { originActivityNote } from '../db/origin-activity'
import { findSite } from '../db/sites'
import { siteStore } from '../db/store'
import { touchpointInsert, toTouchpointWrite, type InsertedTouchpoint } from '../db/touchpoints'
import type { Config } from '../env'
import { reclassifyLeads } from './reclassify-lead'

/**
 * Touchpoint ingest (docs/scale.md#queue-buffered-touchpoints): `POST /v1/events` checks a batch
 * and turns it into a `TouchpointMessage`; `writeTouchpoints` stores one, in the request (direct
 * mode) or in the TOUCHPOINTS queue's consumer (`handleTouchpointBatch`).
 */
export const TOUCHPOINT_QUEUE = 'lodestone-touchpoints'
export const TOUCHPOINT_DEAD_LETTER_QUEUE = 'lodestone-touchpoints-dlq'

/** How long the dead-letter consumer waits before it tries a failed message again. */
export const DEAD_LETTER_RETRY_SECONDS = 6 * 3600

/**
 * What a message may weigh: a queue message holds at most 128 KB, and an events body up to
 * 256 KB, so a large batch travels as several messages (docs/scale.md#queue-buffered-touchpoints).
 */
export const MAX_MESSAGE_BYTES = 96 * 1024

/**
 * One request's touchpoints, checked and ready to store. Everything that needs the request is
 * settled before it is sent: the consent decision (`visitorId` is null after a refusal) and the
 * daily hash, computed from the address, which itself never travels.
 */
export const TouchpointMessageSchema = z
  .object({
    siteKey: SITE_KEY,
    receivedAt: ISO_DATETIME,
    /** The allowed origin the page sent the batch from (the installation check's activity). */
    origin: OriginSchema,
    /** Where alerts of a moved lead link to: the app's address or the collector's origin. */
    appOrigin: HTTP_URL.nullable(),
    visitorId: UUID.nullable(),
    dailyHash: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .nullable(),
    /** Unique by id: a repeat within the request was dropped before it was sent. */
    events: z.array(TouchpointInputSchema).min(1).max(MAX_EVENTS_PER_BATCH),
  })
  .strict()
export type TouchpointMessage = z.infer<typeof TouchpointMessageSchema>

/** The queue `POST /v1/events` buffers on, or undefined to write in the request. */
export function touchpointQueue(env: Env, config: Config): Queue | undefined {
  // A deployment may leave the binding out (a small site): then the route writes directly.
  const queue = (env as { TOUCHPOINTS?: Queue }).TOUCHPOINTS
  return config.TOUCHPOINT_QUEUE === 'on' ? queue : undefined
}

/**
 * Stores one message's touchpoints: the insert (an event id seen before for the site is skipped,
 * so a retried message stores nothing twice) and the origin's activity in one batch, then the
 * reclassification of the leads the new rows belong to. Answers the rows that were new.
 */
export async function writeTouchpoints(
  env: Env,
  site: Site,
  message: TouchpointMessage,
): Promise<InsertedTouchpoint[]> {
  const db = siteStore(env, site.siteKey)
  const receivedAt = new Date(message.receivedAt)
  const insert = touchpointInsert(db, {
    siteKey: site.siteKey,
    receivedAt: message.receivedAt,
    visitorId: message.visitorId,
    dailyHash: message.dailyHash,
    rows: message.events.map((event) =>
      toTouchpointWrite(event, receivedAt, message.visitorId !== null),
    ),
  })
  // The origin's first page view and last event for the installation check (docs/app.md#install)
  // ride in the same batch, one round trip as before, and only when they may change (at most
  // once a minute per origin). The route let only an allowed origin through.
  const activity = originActivityNote(
    db,
    site.siteKey,
    message.origin,
    message.events.some((event) => event.type === 'page_view'),
    receivedAt,
  )
  const inserted = activity
    ? ((await db.batch([insert, activity.statement]))[0]!.results as InsertedTouchpoint[])
    : (await insert.all<InsertedTouchpoint>()).results
  activity?.noted()
  // Touchpoints of a visitor linked to a lead move its score and stage now.
  await reclassifyLeads(db, site, inserted, { queue: env.OUTBOUND, appOrigin: message.appOrigin })
  return inserted
}

/**
 * Puts a message on the queue, split by size where it would pass `MAX_MESSAGE_BYTES`. Sent as
 * JSON, so its size is its UTF-8 length. Answers false when the queue refused it: the route then
 * writes directly, and whatever part did reach the queue is skipped there as a repeat.
 */
export async function enqueueTouchpoints(
  queue: Queue,
  message: TouchpointMessage,
): Promise<boolean> {
  const encoder = new TextEncoder()
  const envelope = encoder.encode(JSON.stringify({ ...message, events: [] })).length
  const parts: TouchpointMessage['events'][] = [[]]
  let size = envelope
  for (const event of message.events) {
    const bytes = encoder.encode(JSON.stringify(event)).length + 1
    if (parts.at(-1)!.length && size + bytes > MAX_MESSAGE_BYTES) {
      parts.push([])
      size = envelope
    }
    parts.at(-1)!.push(event)
    size += bytes
  }
  try {
    // One send per part: a batch send holds at most 256 KB in all, as much as one events body.
    await Promise.all(
      parts.map((events) => queue.send({ ...message, events }, { contentType: 'json' })),
    )
    return true
  } catch (error) {
    // The error's name only: a message may quote the body.
    console.error(`touchpoint enqueue failed: ${error instanceof Error ? error.name : 'error'}`)
    return false
  }
}

/** What a batch did, logged as counts only. */
interface BatchCounts {
  messages: number
  written: number
  /** Touchpoints new to storage, and those skipped as stored before (a retry, a replay). */
  stored: number
  repeats: number
  retried: number
  /** Dead-letter consumer only: messages of a site deleted since, whose data went with it. */
  discarded: number
}

/**
 * The TOUCHPOINTS consumer and its dead-letter consumer. Each message is acknowledged only once
 * written; one that fails is retried alone (the others of its batch stand), and after its
 * retries the dead-letter queue keeps it, where this handler tries it again every
 * `DEAD_LETTER_RETRY_SECONDS` and never acknowledges a failed write
 * (docs/scale.md#queue-buffered-touchpoints).
 */
export async function handleTouchpointBatch(batch: MessageBatch, env: Env): Promise<void> {
  const dead = batch.queue === TOUCHPOINT_DEAD_LETTER_QUEUE
  const counts: BatchCounts = {
    messages: batch.messages.length,
    written: 0,
    stored: 0,
    repeats: 0,
    retried: 0,
    discarded: 0,
  }
  const sites = new Map<string, Promise<Site | null>>()
  const siteOf = (siteKey: string) => {
    if (!sites.has(siteKey)) sites.set(siteKey, findSite(env.DB, siteKey))
    return sites.get(siteKey)!
  }
  // A visitor's messages are written in order, one after another, so its lead is reclassified
  // without racing itself; different visitors' messages go at once.
  const lanes = new Map<string, Message[]>()
  for (const message of batch.messages) {
    const body = message.body as Partial<TouchpointMessage> | null
    const lane = body?.visitorId ? `${body.siteKey}\n${body.visitorId}` : message.id
    lanes.set(lane, [...(lanes.get(lane) ?? []), message])
  }
  await Promise.all(
    [...lanes.values()].map(async (messages) => {
      for (const message of messages) {
        const outcome = await writeMessage(env, message.body, siteOf, dead)
        if (outcome === 'failed') {
          message.retry(dead ? { delaySeconds: DEAD_LETTER_RETRY_SECONDS } : undefined)
          counts.retried++
        } else if (outcome === 'discarded') {
          message.ack()
          counts.discarded++
        } else {
          message.ack()
          counts.written++
          counts.stored += outcome.stored
          counts.repeats += outcome.repeats
        }
      }
    }),
  )
  // Counts only: nothing personal reaches the logs.
  console.log(`touchpoints${dead ? ' dead-letter' : ''} ${JSON.stringify(counts)}`)
}

async function writeMessage(
  env: Env,
  body: unknown,
  siteOf: (siteKey: string) => Promise<Site | null>,
  dead: boolean,
): Promise<{ stored: number; repeats: number } | 'discarded' | 'failed'> {
  const parsed = TouchpointMessageSchema.safeParse(body)
  // Unreadable (a message of another version of the worker): kept for a person to look at.
  if (!parsed.success) return 'failed'
  try {
    const site = await siteOf(parsed.data.siteKey)
    // No site: on the main queue a read that may lag a site just made, so it is tried again; on
    // the dead-letter queue, after hours of retries, a site deleted since, whose touchpoints
    // were deleted with it.
    if (!site) return dead ? 'discarded' : 'failed'
    const inserted = await writeTouchpoints(env, site, parsed.data)
    return { stored: inserted.length, repeats: parsed.data.events.length - inserted.length }
  } catch (error) {
    console.error(`touchpoint write failed: ${error instanceof Error ? error.name : 'error'}`)
    return 'failed'
  }
}
