export * from './flinkEvents.js';
export * from './catalogEvents.js';
export * from './nativeEvents.js';
export * from './eventKinds.js';
export { REDACTED, isSecretKey, redactOptions, redactValue } from './secrets.js';
export * from './openLineage.js';
export * from './flinkRest.js';
export { parseBatch, describeIssues, toJsonPointer } from './parseBatch.js';
export type { InputProblem, RejectedItem } from './parseBatch.js';
