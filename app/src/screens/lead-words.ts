/** Stage and temperature names in German and English, for the lead list and the lead detail. */
export const STAGE_NAMES: Record<string, { de: string; en: string }> = {
  lead: { de: 'Lead', en: 'Lead' },
  mql: { de: 'MQL', en: 'MQL' },
  sql: { de: 'SQL', en: 'SQL' },
  opportunity: { de: 'Verkaufschance', en: 'Opportunity' },
  customer: { de: 'Kunde', en: 'Customer' },
  disqualified: { de: 'Disqualifiziert', en: 'Disqualified' },
  prospect: { de: 'Interessent', en: 'Prospect' },
  engaged: { de: 'Engagiert', en: 'Engaged' },
  interested: { de: 'Kaufinteresse', en: 'Interested' },
  need_recognized: { de: 'Bedarf erkannt', en: 'Need recognised' },
}

export const TEMPERATURE_NAMES: Record<string, { de: string; en: string }> = {
  cold: { de: 'Kalt', en: 'Cold' },
  warm: { de: 'Warm', en: 'Warm' },
  hot: { de: 'Heiß', en: 'Hot' },
}
