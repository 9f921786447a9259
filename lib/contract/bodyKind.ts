// Which of the bridge's three doors a JSON body belongs to, told from its shape alone (before validation), so that
// operator tools (`flink-atlas map`, `flink-atlas send`) can take any body and check it the way its endpoint would.
//
//   native       POST /flink/events   one event or an array: objects whose `type` is `job.*` (or `catalog.*`, `dataset.*`)
//   openlineage  POST /api/v1/lineage an OpenLineage RunEvent, JobEvent or DatasetEvent
//   flink-rest   POST /flink/jobs     Flink REST `GET /jobs/:jobid` JSON (`jid`), or `{ "job": {…jid…}, "executionResult" }`

export type BodyKind = 'native' | 'openlineage' | 'flink-rest';

export const BODY_KINDS: readonly BodyKind[] = ['native', 'openlineage', 'flink-rest'];

/** The endpoint of each kind, relative to the bridge's base URL. */
export const ENDPOINT_OF: Readonly<Record<BodyKind, string>> = {
  native: '/flink/events',
  openlineage: '/api/v1/lineage',
  'flink-rest': '/flink/jobs',
};

export interface DetectedBody {
  kind: BodyKind;
  /** False when nothing in the shape pointed anywhere: the body is then checked as native, the default door. */
  certain: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const kindOfItem = (item: unknown): BodyKind | undefined => {
  if (!isObject(item)) return undefined;
  if (typeof item.type === 'string' && /^(job|catalog|dataset)\./.test(item.type)) return 'native';
  if ('jid' in item) return 'flink-rest';
  if (isObject(item.job) && 'jid' in item.job) return 'flink-rest';
  // OpenLineage: every event has eventTime plus run/job/dataset; producer and schemaURL are the spec's markers.
  if ('run' in item || 'dataset' in item || 'producer' in item || 'schemaURL' in item || 'eventType' in item) return 'openlineage';
  if (isObject(item.job) && 'namespace' in item.job) return 'openlineage';
  if ('type' in item || 'cluster' in item || 'eventId' in item) return 'native';
  return undefined;
};

/**
 * Pure: the door a parsed JSON body was meant for. An array is native (the only door taking arrays) unless every
 * item looks like an OpenLineage event. Anything unrecognisable is native, not certain.
 */
export const detectBodyKind = (body: unknown): DetectedBody => {
  if (Array.isArray(body)) {
    const kinds = body.map(kindOfItem);
    if (kinds.length > 0 && kinds.every((k) => k === 'openlineage')) return { kind: 'openlineage', certain: true };
    return { kind: 'native', certain: kinds.some((k) => k === 'native') };
  }
  const kind = kindOfItem(body);
  return kind === undefined ? { kind: 'native', certain: false } : { kind, certain: true };
};
