// zod as the bridge runs it: the tree-shakable mini API (zod/mini). The classic API (`import * as z from 'zod'`)
// binds every method, its JSON Schema generator included, into every schema, so a bundle carries all of zod and
// builds it at import; mini's functions are bundled only where used (docs/performance.md, section 4).
// Each module imports `* as z from 'zod/mini'` itself: a namespace re-exported from here as a value would be
// bundled whole. This module sets zod's English messages, which mini does not load by default and which answers and
// config errors name problems with (lib/contract/parseBatch.ts describeIssues, lib/config). lib/contract/flinkEvents.ts,
// which every event schema builds on, and lib/config use its helpers, so every bundle that validates runs it.
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

z.config(en());

/** Classic zod's `.meta(data)`: a copy of the schema with metadata (e.g. the `id` of a JSON Schema `$defs` entry). */
export const withMeta = <T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T => {
  const copy = schema.clone();
  z.globalRegistry.add(copy as z.core.$ZodType, metadata);
  return copy;
};

/** Classic zod's `.describe()`: a copy of the schema with a description, the schema itself left as it was. */
export const described = <T extends z.ZodMiniType>(schema: T, description: string): T => withMeta(schema, { description });

/**
 * Classic zod's `ctx.addIssue({ code: 'custom', message })` inside a transform: mini's transforms get the bare parse
 * payload, without addIssue. The issue's path is the transformed value's, as with classic zod.
 */
export const addCustomIssue = (ctx: z.core.ParsePayload, message: string): void => {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
};

