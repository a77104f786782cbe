export * from './transcript.js'
