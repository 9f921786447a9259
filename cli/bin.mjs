#!/usr/bin/env node
// `flink-atlas` (package.json "bin"; `npx flink-atlas --help`): runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./run.ts');
