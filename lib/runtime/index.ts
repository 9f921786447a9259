export { getRuntime, loadRuntime, resetRuntime } from './runtime.js';
export type { Runtime } from './runtime.js';
export { getBaseRuntime, type BaseRuntime } from './base.js';
