/**
 * When a failed delivery is tried again (docs/outbound.md#retries): the wait starts at `base`
 * seconds and doubles with each failure, up to 1,440 × `base` (12 hours at the default 30 s,
 * the longest delay a Cloudflare Queue takes), each wait stretched by up to 10 % at random
 * (jitter, so deliveries that failed together do not return together) but never past the cap.
 */
export const MAX_RETRIES = 17

export function retryDelaySeconds(failures: number, base: number, random = Math.random()): number {
  const nominal = Math.min(base * 2 ** Math.max(failures - 1, 0), base * 1440)
  return Math.min(nominal * (1 + 0.1 * random), base * 1440)
}

/** The shortest total the schedule waits before giving up (no jitter), in seconds. */
export function scheduleSpanSeconds(base: number, retries = MAX_RETRIES): number {
  let total = 0
  for (let failures = 1; failures <= retries; failures++)
    total += retryDelaySeconds(failures, base, 0)
  return total
}
