export * from './flinkEvents.js';
export * from './openLineage.js';
export * from './flinkRest.js';
export { parseBatch, describeIssues, toJsonPointer } from './parseBatch.js';
export type { InputProblem, RejectedItem, AcceptedItem, ParsedBatch } from './parseBatch.js';
export { BridgeInputError } from './errors.js';
export type { InputErrorCode } from './errors.js';
