/** Unlinks every visitor id from the lead: new touchpoints of those visitors stay anonymous. */
export function unlinkLeadVisitorsStatement(db: D1Database, leadId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM lead_visitors WHERE lead_id = ?1').bind(leadId)
}
