/** The wire contract (SPEC §5), shared by the worker (runtime) and the widget (types only). */
export * from './common'
export * from './problem'
export * from './rules'
export * from './site'
export * from './form'
export * from './events'
export * from './leads'
export * from './consent'
