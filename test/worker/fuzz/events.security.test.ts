import { fuzzPostEndpoint } from './post-endpoint'
import { EVENT_OBJECTS, EVENT_PATHS, EVENT_SPECS, EVENT_STRICT, validEvents } from './requests'

fuzzPostEndpoint({
  path: '/v1/events',
  valid: validEvents,
  shape: { specs: EVENT_SPECS, paths: EVENT_PATHS, objects: EVENT_OBJECTS, strict: EVENT_STRICT },
  noun: 'batch',
  spamHeld: false,
})
