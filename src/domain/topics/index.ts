export * from './topic-answer.js'
export * from './topic-count.js'
export * from './topics-prompt.js'
