/// <reference types="vite/client" />

/** The built form chunk's file name (vite.config.ts), imported by the form builder's preview. */
declare const __CHUNK__: string
