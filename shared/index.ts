/**
 * The wire contract (docs/wire-contract.md), shared by the worker (runtime) and the widget (types
 * only).
 */
export * from './vocabulary'
export * from './common'
export * from './problem'
export * from './rules'
export * from './site'
export * from './form'
export * from './events'
export * from './leads'
export * from './consent'
export * from './campaigns'
export * from './spam'
export * from './privacy'
export * from './reports'
export * from './install'
