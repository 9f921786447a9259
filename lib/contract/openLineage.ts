// OpenLineage events as POST /api/v1/lineage accepts them (spec: test/fixtures/openlineage/OpenLineage.json,
// 2-0-2). Lenient where the spec is, or where the Flink integration's senders differ: eventType optional and
// open-ended, producer/schemaURL not required (the bridge reads neither once the event is known to come from
// Flink), facets open (extra facets and fields kept, `_producer`/`_schemaURL` not required), any ISO-8601 time
// precision and offset. Typed only where the bridge reads: flink_job, processing_engine, errorMessage,
// checkpoints (run facets), jobType (job facet), schema (dataset facet). Length limits are the native contract's,
// so a converted event always fits it, and a problem is named where it is in the OpenLineage body.
import { describeIssues, type InputProblem } from './parseBatch.js';
import * as z from 'zod/mini';
import { addCustomIssue } from '../zod.js';

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)(?:\[[^\]\s]{1,64}\])?$/;

/**
 * Epoch ms of an ISO-8601 date-time with an offset (Z, ±HH:MM, ±HHMM or ±HH), any fraction of a second (cut to
 * ms), optionally followed by a Java zone id (`[Europe/Berlin]`); undefined when it is not one.
 */
export const parseIsoInstant = (text: string): number | undefined => {
  const m = ISO_INSTANT.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const offset = m[8] ?? 'Z';
  if (offset === 'Z' || offset === 'z') return local;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 18 || minutes > 59) return undefined;
  return local - (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
};

/** Normalised to `toISOString()` (UTC, ms): what the native contract and Atlas keep anyway. */
const EventTimeSchema = z.pipe(
  z.string().check(z.maxLength(100)),
  z.transform((text: string, ctx) => {
    const ms = parseIsoInstant(text);
    if (ms === undefined) {
      addCustomIssue(ctx, 'must be an ISO-8601 date-time with an offset, e.g. 2025-06-10T10:00:00.123Z');
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  }),
);

const Count = z.int().check(z.minimum(0));
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const textMax = (max: number) => z.string().check(z.maxLength(max));

/** `shared/.../facets/FlinkJobDetailsFacet.java`: the Flink JobID; may be missing or null when unknown. */
const FlinkJobFacetSchema = z.looseObject({
  jobId: z.nullish(z.string().check(z.regex(/^[0-9a-fA-F]{32}$/, 'must be a Flink JobID: 32 hex characters'))),
});

/** `shared/.../client/CheckpointFacet.java`: note the hyphen in `in-progress`. */
const CheckpointsFacetSchema = z.looseObject({
  completed: z.nullish(Count),
  failed: z.nullish(Count),
  'in-progress': z.nullish(Count),
  restored: z.nullish(Count),
  total: z.nullish(Count),
});

const RunFacetsSchema = z.looseObject({
  flink_job: z.nullish(FlinkJobFacetSchema),
  processing_engine: z.nullish(z.looseObject({ name: z.nullish(z.string()), version: z.nullish(z.string()) })),
  // ErrorMessageRunFacet 1-0-1: message and programmingLanguage required by the spec; only message read here.
  errorMessage: z.nullish(z.looseObject({ message: z.string(), stackTrace: z.nullish(z.string()) })),
  checkpoints: z.nullish(CheckpointsFacetSchema),
});

const JobFacetsSchema = z.looseObject({
  // JobTypeJobFacet 2-0-4: processingType BATCH | STREAMING | SERVICE; kept open, unknown values are ignored.
  jobType: z.nullish(z.looseObject({ processingType: z.nullish(textMax(100)), integration: z.nullish(textMax(100)) })),
});

export const OpenLineageJobSchema = z.object({
  // The bridge turns job.namespace into the Flink cluster name, which the native contract caps at 128 characters.
  namespace: z.string().check(z.minLength(1), z.maxLength(128, 'is used as the Flink cluster name: at most 128 characters')),
  name: text(1, 1000),
  facets: z.nullish(JobFacetsSchema),
});

const SchemaFieldSchema = z.looseObject({
  name: text(1, 1000),
  type: z.nullish(textMax(1000)),
  description: z.nullish(textMax(10_000)),
});

const DatasetFacetsSchema = z.looseObject({
  // SchemaDatasetFacet 1-2-0. Nested `fields` (structs, arrays) are not read: the top level is kept.
  schema: z.nullish(z.looseObject({ fields: z.nullish(z.array(SchemaFieldSchema).check(z.maxLength(5000))) })),
  // SymlinksDatasetFacet 1-0-1: a Flink SQL table's catalog name (`catalog.database.table`, type TABLE).
  symlinks: z.nullish(
    z.looseObject({
      identifiers: z.nullish(
        z
          .array(z.looseObject({ namespace: text(1, 2000), name: text(1, 2000), type: z.nullish(textMax(100)) }))
          .check(z.maxLength(100)),
      ),
    }),
  ),
});

export const OpenLineageDatasetSchema = z.looseObject({
  namespace: text(1, 2000),
  name: text(1, 2000),
  facets: z.nullish(DatasetFacetsSchema),
});
export type OpenLineageDataset = z.infer<typeof OpenLineageDatasetSchema>;

const DatasetsSchema = z.nullish(z.array(OpenLineageDatasetSchema).check(z.maxLength(1000)));

const BaseShape = {
  eventTime: EventTimeSchema,
  producer: z.optional(textMax(2000)),
  schemaURL: z.optional(textMax(2000)),
};

export const OpenLineageRunEventSchema = z.object({
  ...BaseShape,
  // Optional in the spec; any string is accepted (the converter decides what it means).
  eventType: z.nullish(textMax(100)),
  run: z.object({
    runId: z.guid('must be a UUID'),
    facets: z.nullish(RunFacetsSchema),
  }),
  job: OpenLineageJobSchema,
  inputs: DatasetsSchema,
  outputs: DatasetsSchema,
});

export const OpenLineageJobEventSchema = z.object({
  ...BaseShape,
  job: OpenLineageJobSchema,
  inputs: DatasetsSchema,
  outputs: DatasetsSchema,
});

export const OpenLineageDatasetEventSchema = z.object({
  ...BaseShape,
  dataset: OpenLineageDatasetSchema,
});

export type OpenLineageRunEvent = z.infer<typeof OpenLineageRunEventSchema>;
export type OpenLineageJobEvent = z.infer<typeof OpenLineageJobEventSchema>;
export type OpenLineageDatasetEvent = z.infer<typeof OpenLineageDatasetEventSchema>;

export type OpenLineageEvent =
  | { kind: 'run'; event: OpenLineageRunEvent }
  | { kind: 'job'; event: OpenLineageJobEvent }
  | { kind: 'dataset'; event: OpenLineageDatasetEvent };

export type OpenLineageParse = { ok: true; value: OpenLineageEvent } | { ok: false; problems: InputProblem[] };

const KIND_SCHEMAS = {
  run: OpenLineageRunEventSchema,
  job: OpenLineageJobEventSchema,
  dataset: OpenLineageDatasetEventSchema,
} as const;

/** The spec's oneOf, told apart as the spec says: by which of run, job and dataset are present. */
export const openLineageKindOf = (body: unknown): OpenLineageEvent['kind'] | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  if ('run' in body) return 'run';
  if ('dataset' in body) return 'dataset';
  if ('job' in body) return 'job';
  return undefined;
};

export const NOT_AN_OPENLINEAGE_EVENT = 'not an OpenLineage event: expected an object with run and job (RunEvent), job (JobEvent) or dataset (DatasetEvent)';

export const parseOpenLineageEvent = (body: unknown): OpenLineageParse => {
  const kind = openLineageKindOf(body);
  if (kind === undefined) return { ok: false, problems: [{ pointer: '', message: NOT_AN_OPENLINEAGE_EVENT }] };
  const result = KIND_SCHEMAS[kind].safeParse(body);
  if (!result.success) return { ok: false, problems: describeIssues(result.error.issues, []) };
  return { ok: true, value: { kind, event: result.data } as OpenLineageEvent };
};
