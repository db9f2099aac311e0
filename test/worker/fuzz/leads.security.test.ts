import { fuzzPostEndpoint } from './post-endpoint'
import { LEAD_OBJECTS, LEAD_PATHS, LEAD_SPECS, LEAD_STRICT, validLead } from './requests'

// Random JSON, raw bytes, foreign content types and origins are refused before a submission is
// read, so they must write nothing at all; a readable submission may be held as spam, and must
// then write exactly the spam rows its answers name.
fuzzPostEndpoint({
  path: '/v1/leads',
  valid: validLead,
  shape: { specs: LEAD_SPECS, paths: LEAD_PATHS, objects: LEAD_OBJECTS, strict: LEAD_STRICT },
  noun: 'submission',
  spamHeld: true,
})
