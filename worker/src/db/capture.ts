import type { CapturePlan } from '../domain/capture-plan'
import { leadColumnValues } from './leads'

const MINE =
  'EXISTS (SELECT 1 FROM submissions WHERE site_key = ?1 AND submission_id = ?2 AND nonce = ?3)'

/** Attaches touchpoints by id to the lead (?4), each found by `UNIQUE (site_key, event_id)`. */
export const ATTACH_SQL = `UPDATE touchpoints SET lead_id = ?4, daily_hash = NULL
  WHERE site_key = ?1 AND lead_id IS NULL AND event_id IN (SELECT value FROM json_each(?5))
    AND ${MINE}`

/** Event ids per attaching statement: 1,000 ids are about 39 kB of JSON in one parameter. */
export const ATTACH_CHUNK = 1000

/** The same guard for statements numbered elsewhere (site key, submission id, nonce as ?C1–?C3). */
export const CAPTURE_GUARD =
  'EXISTS (SELECT 1 FROM submissions WHERE site_key = ?C1 AND submission_id = ?C2 AND nonce = ?C3)'

/**
 * The writes of one lead submission (`planCapture`). The statements run as one
 * `db.batch` (one transaction), and every statement after the first only acts
 * if the first one inserted *this* request's submission row (its nonce). So
 * concurrent copies of one submission write once, and a lead changed by
 * someone else meanwhile (its version moved) makes the whole batch a no-op
 * that the caller retries.
 */
export function captureStatements(db: D1Database, plan: CapturePlan): D1PreparedStatement[] {
  const { lead } = plan
  const guard = [plan.siteKey, plan.submissionId, plan.nonce] as const
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT INTO submissions (site_key, submission_id, nonce, form_id, fields, page_url, referrer, utm, response, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
         WHERE (SELECT version FROM leads WHERE site_key = ?1 AND email_key = ?11) IS ?12
         ON CONFLICT (site_key, submission_id) DO NOTHING`,
      )
      .bind(
        ...guard,
        plan.formId,
        plan.submission.fields,
        plan.submission.pageUrl,
        plan.submission.referrer,
        plan.submission.utm,
        JSON.stringify(plan.response),
        plan.now,
        lead.emailKey,
        lead.expectedVersion,
      ),
  ]

  const values = [
    ...leadColumnValues({
      ...lead,
      fit: lead.fitScore,
      engagement: lead.engagementScore,
      reasons: lead.scoreReasons,
      state: lead.scoreState,
    }),
    plan.now,
  ] as const
  // ?4 lead id, ?5 email key, ?6.. the values above in order.
  if (lead.isNew) {
    statements.push(
      db
        .prepare(
          `INSERT INTO leads (id, site_key, email_key, email, email_domain, first_name, last_name, company, job_title, phone,
             fields, complete, missing, stage, temperature, fit_score, engagement_score, score_reasons, score_state,
             first_source, first_medium, first_campaign, first_touch_at, last_source, last_medium, last_campaign,
             last_touch_at, first_seen_at, stage_set_by, stage_changed_at, created_at, updated_at)
           SELECT ?4, ?1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
             ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, 'rule', ?31, ?31, ?31
           WHERE ${MINE}`,
        )
        .bind(...guard, lead.id, lead.emailKey, ...values),
    )
  } else {
    statements.push(
      db
        .prepare(
          `UPDATE leads SET email = ?6, email_domain = ?7, first_name = ?8, last_name = ?9, company = ?10,
             job_title = ?11, phone = ?12, fields = ?13, complete = ?14, missing = ?15, stage = ?16,
             temperature = ?17, fit_score = ?18, engagement_score = ?19, score_reasons = ?20, score_state = ?21,
             first_source = ?22, first_medium = ?23, first_campaign = ?24, first_touch_at = ?25,
             last_source = ?26, last_medium = ?27, last_campaign = ?28, last_touch_at = ?29,
             first_seen_at = ?30, updated_at = ?31,
             stage_changed_at = CASE WHEN stage = ?16 THEN stage_changed_at ELSE ?31 END,
             version = version + 1
           WHERE id = ?4 AND email_key = ?5 AND ${MINE}`,
        )
        .bind(...guard, lead.id, lead.emailKey, ...values),
    )
  }

  statements.push(
    db
      .prepare(
        `UPDATE submissions SET lead_id = ?4 WHERE site_key = ?1 AND submission_id = ?2 AND nonce = ?3`,
      )
      .bind(...guard, lead.id),
  )

  for (const consent of plan.consents) {
    statements.push(
      db
        .prepare(
          `INSERT INTO consent_ledger (site_key, lead_id, purpose, status, method, text_id, text_sha256, form_id,
             page_url, submission_id, network, user_agent, created_at)
           SELECT ?1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?2, ?12, ?13, ?14 WHERE ${MINE}
           ON CONFLICT DO NOTHING`,
        )
        .bind(
          ...guard,
          lead.id,
          consent.purpose,
          consent.status,
          consent.method,
          consent.textId,
          consent.textSha256,
          plan.formId,
          plan.submission.pageUrl,
          plan.network,
          plan.userAgent,
          plan.consentedAt,
        ),
    )
  }

  for (const change of plan.stageChanges) {
    statements.push(
      db
        .prepare(
          `INSERT INTO stage_history (site_key, lead_id, from_stage, to_stage, cause, rule_id, created_at)
           SELECT ?1, ?4, ?5, ?6, 'rule', ?7, ?8 WHERE ${MINE}`,
        )
        .bind(...guard, lead.id, change.from, change.to, change.ruleId, plan.now),
    )
  }

  const { visitorId, eventIds } = plan.attach
  // Exactly the touchpoints that were scored join the lead, and lose their daily hash
  // (docs/consent-and-privacy.md#daily-hash): in statements of `ATTACH_CHUNK` ids, so a long
  // history never makes one parameter too large (docs/scale.md#ingest-cost-flat-in-the-sites-size).
  for (let start = 0; start < eventIds.length; start += ATTACH_CHUNK) {
    statements.push(
      db
        .prepare(ATTACH_SQL)
        .bind(...guard, lead.id, JSON.stringify(eventIds.slice(start, start + ATTACH_CHUNK))),
    )
  }
  if (visitorId) {
    statements.push(
      db
        .prepare(
          `INSERT INTO lead_visitors (site_key, visitor_id, lead_id, created_at)
           SELECT ?1, ?4, ?5, ?6 WHERE ${MINE}
           ON CONFLICT (site_key, visitor_id) DO UPDATE SET lead_id = excluded.lead_id`,
        )
        .bind(...guard, visitorId, lead.id, plan.now),
    )
  }
  if (plan.releasedSpamId !== null) {
    // A released spam submission leaves the spam folder with the same write that made it a lead.
    statements.push(
      db
        .prepare(`DELETE FROM spam WHERE site_key = ?1 AND id = ?4 AND ${MINE}`)
        .bind(...guard, plan.releasedSpamId),
    )
  }
  return statements
}
