// flink-atlas map <file|->: the Atlas entities an event (or array of events) would produce, written nowhere.
// The body goes through the API's own code: readJsonBody's JSON checks, then the ingest use case of its endpoint
// (ingestFlinkEvents, ingestOpenLineage, ingestFlinkRest: parseBatch and the zod schemas of lib/contract, the
// converters of lib/convert, the mapping of lib/mapping), with an Atlas that holds nothing and records the bulk
// request instead of writing it. Rejections are therefore the API's own pointers and messages.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AtlasEntitiesWithExtInfo, AtlasEntity, AtlasPort } from '../../lib/atlas/index.js';
import { detectBodyKind, ENDPOINT_OF, type BodyKind } from '../../lib/contract/bodyKind.js';
import { MAX_EVENTS_PER_REQUEST } from '../../lib/contract/index.js';
import { InputRejection, type InputProblem } from '../../lib/errors.js';
import { readJsonBody } from '../../lib/http/index.js';
import {
  ingestFlinkEvents, ingestFlinkRest, ingestOpenLineage, type IngestReport, type ItemResult,
} from '../../lib/ingest/index.js';
import type { NamingContext } from '../../lib/mapping/index.js';
import { keyValues, plural, wrap } from '../format.js';
import { result, type CommandResult } from '../result.js';

export interface MapOptions {
  naming: NamingContext;
  /** Print the raw POST /v2/entity/bulk request (for an Atlas that holds none of the entities) instead of the listing. */
  json?: boolean;
  /** Skip detection. */
  kind?: BodyKind;
  /** `?cluster=` of POST /flink/jobs, for Flink REST bodies. */
  cluster?: string;
  /** Where the body came from, for the heading. */
  source?: string;
}

/** What one request of the body became: the ingest report, or a whole-request rejection or skip. */
interface MappedRequest {
  /** JSON pointer prefix of the request's items within the file ('' when the request is the whole file). */
  at: string;
  /** The raw item(s) posted, to describe accepted native events. */
  items: unknown[];
  report?: IngestReport;
  rejected?: { status: number; code: string; problems: InputProblem[] };
  skipped?: string;
}

// The CLI reads any size; the API's own body limit is reported as a note (send splits big native files).
const READ_LIMIT_BYTES = 512 * 1024 * 1024;
const API_BODY_LIMIT_BYTES = 1024 * 1024;

/** The request the endpoint would see, so that the body is read by the handler's own code. */
const asRequest = (text: string): APIGatewayProxyEventV2 =>
  ({ headers: { 'content-type': 'application/json' }, body: text, isBase64Encoded: false }) as unknown as APIGatewayProxyEventV2;

/** An Atlas that holds nothing and keeps each bulk request instead of applying it; planned guids say which request. */
const recordingAtlas = (): { writer: AtlasPort; requests: AtlasEntitiesWithExtInfo[] } => {
  const requests: AtlasEntitiesWithExtInfo[] = [];
  return {
    requests,
    writer: {
      getEntitiesByQualifiedNames: async () => [],
      // It holds nothing: a DROP has nothing to delete, and a dropped database no tables to list.
      getEntityByQualifiedName: async () => undefined,
      deleteByQualifiedName: async () => ({}),
      // Nothing is stored, so no lineage input was ever removed to be re-linked.
      createRelationship: async () => undefined,
      bulkWrite: async (request) => {
        requests.push(request);
        const n = requests.length - 1;
        return { guidAssignments: Object.fromEntries(request.entities.map((e) => [e.guid ?? '', `${n}:${e.guid ?? ''}`])) };
      },
    },
  };
};

const asRejection = (error: unknown): MappedRequest['rejected'] => {
  if (!(error instanceof InputRejection)) throw error;
  return { status: error.status, code: error.code, problems: error.problems };
};

const mapRequests = async (body: unknown, kind: BodyKind, options: MapOptions, writer: AtlasPort, notes: string[]): Promise<MappedRequest[]> => {
  const deps = { atlas: writer, naming: options.naming };
  if (kind === 'native') {
    const chunks: { at: number; items: unknown[] }[] = [];
    if (Array.isArray(body) && body.length > MAX_EVENTS_PER_REQUEST) {
      notes.push(`POST /flink/events takes at most ${MAX_EVENTS_PER_REQUEST} events per request and would answer 413 to these ${body.length} as one; ` +
        `they are checked in requests of ${MAX_EVENTS_PER_REQUEST}, as \`flink-atlas send\` posts them.`);
      for (let start = 0; start < body.length; start += MAX_EVENTS_PER_REQUEST) chunks.push({ at: start, items: body.slice(start, start + MAX_EVENTS_PER_REQUEST) });
    }
    if (chunks.length === 0) {
      try {
        return [{ at: '', items: Array.isArray(body) ? body : [body], report: await ingestFlinkEvents(body, deps) }];
      } catch (error) {
        return [{ at: '', items: [], rejected: asRejection(error) }];
      }
    }
    const requests: MappedRequest[] = [];
    for (const chunk of chunks) {
      const report = await ingestFlinkEvents(chunk.items, deps);
      // Pointers and indices refer to the whole file, not to the slice.
      report.results = report.results.map((r) => ({
        ...r,
        index: r.index + chunk.at,
        ...(r.outcome === 'rejected' ? { problems: r.problems.map((p) => ({ ...p, pointer: p.pointer.replace(/^\/\d+/, (m) => `/${Number(m.slice(1)) + chunk.at}`) })) } : {}),
      })) as ItemResult[];
      requests.push({ at: '', items: body as unknown[], report });
    }
    return requests;
  }
  if (kind === 'openlineage') {
    const items = Array.isArray(body) ? body : [body];
    if (Array.isArray(body)) {
      notes.push('POST /api/v1/lineage takes one OpenLineage event per request: each item is checked as its own request (`flink-atlas send` posts them one by one).');
    }
    const requests: MappedRequest[] = [];
    for (const [i, item] of items.entries()) {
      const at = Array.isArray(body) ? `/${i}` : '';
      try {
        const answer = await ingestOpenLineage(item, deps);
        requests.push(answer.outcome === 'skipped' ? { at, items: [item], skipped: answer.reason } : { at, items: [item], report: answer.report });
      } catch (error) {
        requests.push({ at, items: [item], rejected: asRejection(error) });
      }
    }
    return requests;
  }
  try {
    return [{ at: '', items: [body], report: await ingestFlinkRest(body, { cluster: options.cluster }, deps) }];
  } catch (error) {
    const rejected = asRejection(error);
    if (rejected !== undefined && options.cluster === undefined) {
      rejected.problems = rejected.problems.map((p) => ({ ...p, message: `${p.message} (flink-atlas map --cluster NAME)` }));
    }
    return [{ at: '', items: [body], rejected }];
  }
};

/** `job.status RUNNING  flink-prod/orders-enrichment  run 793c…` for a native event as posted. */
const describeItem = (item: unknown): string => {
  if (typeof item !== 'object' || item === null) return '';
  const event = item as { type?: unknown; cluster?: unknown; job?: { name?: unknown; id?: unknown; status?: unknown } };
  const parts = [
    typeof event.type === 'string' ? event.type : undefined,
    typeof event.job?.status === 'string' ? event.job.status : undefined,
    typeof event.cluster === 'string' && typeof event.job?.name === 'string' ? ` ${event.cluster}/${event.job.name}` : undefined,
    typeof event.job?.id === 'string' ? ` run ${event.job.id}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(' ');
};

/** The entities of one event, from the recorded request: each, then the parents it links to (db, container…). */
const renderEntities = (planned: readonly { guid: string }[], requests: readonly AtlasEntitiesWithExtInfo[]): string[] => {
  const lookup = (planGuid: string): { entity: AtlasEntity; request: number } | undefined => {
    const [n, guid] = [Number(planGuid.split(':')[0]), planGuid.slice(planGuid.indexOf(':') + 1)];
    const entity = requests[n]?.entities.find((e) => e.guid === guid);
    return entity === undefined ? undefined : { entity, request: n };
  };
  const roots = planned.flatMap((p) => lookup(p.guid) ?? []);
  const all = [...roots];
  const width = Math.max(0, ...requests.flatMap((r) => r.entities.map((e) => e.typeName.length)));
  const pad = ' '.repeat(4 + width + 2);
  const printed = new Set<AtlasEntity>();
  const rootSet = new Set(roots.map((r) => r.entity));
  const lines: string[] = [];
  const nameOf = (target: unknown, request: number): string => {
    const id = target as { guid?: string; typeName?: string; uniqueAttributes?: { qualifiedName?: string } };
    const found = id.guid === undefined ? undefined : requests[request]?.entities.find((e) => e.guid === id.guid);
    if (found !== undefined) return `${found.typeName} ${String(found.attributes.qualifiedName)}`;
    return `${id.typeName ?? '?'} ${id.uniqueAttributes?.qualifiedName ?? id.guid ?? '?'}`;
  };
  const print = ({ entity, request }: { entity: AtlasEntity; request: number }): void => {
    if (printed.has(entity)) return;
    printed.add(entity);
    const { qualifiedName, ...attributes } = entity.attributes;
    lines.push(`    ${entity.typeName.padEnd(width)}  ${String(qualifiedName)}`, ...wrap(keyValues(attributes), pad));
    const parents: { entity: AtlasEntity; request: number }[] = [];
    for (const [relation, target] of Object.entries(entity.relationshipAttributes ?? {})) {
      const targets = Array.isArray(target) ? target : [target];
      lines.push(`${pad}${relation} → ${targets.length > 0 ? targets.map((t) => nameOf(t, request)).join(', ') : '(none)'}`);
      for (const t of targets) {
        const guid = (t as { guid?: string }).guid;
        const parent = requests[request]?.entities.find((e) => e.guid === guid);
        if (parent !== undefined && !rootSet.has(parent)) parents.push({ entity: parent, request });
      }
    }
    parents.forEach(print);
  };
  all.forEach(print);
  return lines;
};

const HEADINGS: Readonly<Record<BodyKind, string>> = {
  native: 'native events',
  openlineage: 'OpenLineage',
  'flink-rest': 'Flink REST job JSON',
};

const problemLines = (at: string, problems: readonly InputProblem[], what = 'rejected'): string[] => [
  `  ${at || '(body)'}: ${what}`,
  ...problems.map((p) => `    ${p.pointer || '(body)'}: ${p.message}`),
];

/** The body's text in, the listing (or the bulk request) and the exit code out. Nothing is written anywhere. */
export const mapBody = async (text: string, options: MapOptions): Promise<CommandResult> => {
  const source = options.source ?? 'the body';
  let body: unknown;
  try {
    body = readJsonBody(asRequest(text), READ_LIMIT_BYTES);
  } catch (error) {
    const rejected = asRejection(error)!;
    return result(1, '', `${source}: rejected (${rejected.status} ${rejected.code})\n${rejected.problems.map((p) => `  ${p.pointer || '(body)'}: ${p.message}`).join('\n')}\n`);
  }
  const detected = options.kind === undefined ? detectBodyKind(body) : { kind: options.kind, certain: true };
  const notes: string[] = [];
  if (!detected.certain) notes.push('the body does not look like any known kind: it was checked as native events (--kind to choose)');
  if (Buffer.byteLength(text) > API_BODY_LIMIT_BYTES && !(detected.kind === 'native' && Array.isArray(body))) {
    notes.push(`the body has ${Buffer.byteLength(text)} bytes: the API answers 413 above MAX_BODY_BYTES (${API_BODY_LIMIT_BYTES} by default)`);
  }
  const atlas = recordingAtlas();
  const requests = await mapRequests(body, detected.kind, options, atlas.writer, notes);

  let accepted = 0;
  let rejected = 0;
  let skipped = 0;
  const listing: string[] = [];
  const problems: string[] = [];
  for (const request of requests) {
    if (request.rejected !== undefined) {
      rejected += 1;
      problems.push(...problemLines(request.at, request.rejected.problems, `rejected (${request.rejected.status} ${request.rejected.code})`));
    }
    if (request.skipped !== undefined) {
      skipped += 1;
      problems.push(`  ${request.at || '(body)'}: skipped (answered 200 {"skipped": true}): ${request.skipped}`);
    }
    for (const item of request.report?.results ?? []) {
      const at = request.at !== '' ? request.at : request.report?.isArray ? `/${item.index}` : '(body)';
      if (item.outcome === 'rejected') {
        rejected += 1;
        problems.push(...problemLines(at, item.problems));
      } else if (item.outcome === 'written') {
        accepted += 1;
        const described = detected.kind === 'native' ? describeItem(request.items[request.report?.isArray ? item.index : 0]) : 'converted event';
        listing.push('', `${at}  ${described}  (eventId ${item.eventId})`, ...renderEntities(item.entities, atlas.requests));
      } else {
        // Cannot happen with the recording Atlas; shown rather than hidden if it ever does.
        rejected += 1;
        problems.push(`  ${at}: ${item.outcome}${'error' in item ? `: ${item.error.message}` : ''}`);
      }
    }
  }
  const exitCode = rejected > 0 ? 1 : 0;

  if (options.json === true) {
    const stdout = atlas.requests.length === 1 ? atlas.requests[0] : atlas.requests.length === 0 ? { entities: [] } : atlas.requests;
    if (atlas.requests.length > 1) notes.push(`the events need ${atlas.requests.length} bulk requests (one read stays under Atlas's URL limit): printed as an array`);
    const stderr = [...notes.map((n) => `note: ${n}`), ...problems].join('\n');
    return result(exitCode, `${JSON.stringify(stdout, null, 2)}\n`, stderr === '' ? '' : `${stderr}\n`);
  }

  const distinct = new Set(atlas.requests.flatMap((r) => r.entities.map((e) => `${e.typeName}|${String(e.attributes.qualifiedName)}`)));
  const lines: string[] = [
    `${source}: ${HEADINGS[detected.kind]} for POST ${ENDPOINT_OF[detected.kind]}${detected.kind === 'flink-rest' && options.cluster ? `?cluster=${options.cluster}` : ''}` +
      ` (${accepted} accepted, ${rejected} rejected${skipped > 0 ? `, ${skipped} skipped` : ''})`,
    ...notes.map((n) => `note: ${n}`),
    ...listing,
    ...(problems.length > 0 ? ['', ...problems] : []),
    '',
    `${plural(accepted, 'event')} → ${plural(distinct.size, 'distinct entity', 'distinct entities')}. Nothing was written.`,
  ];
  if (distinct.size > 0) {
    lines.push(
      'Shown for an empty Atlas: a dataset Atlas already holds (e.g. from its Hive or Kafka hook) is referenced by its guid and',
      'never resent. A dataset here under another qualifiedName than the one Atlas holds is the "twice under two names" case:',
      'check the namespace and name your job reports, and ATLAS_NAMESPACE / ATLAS_NAMESPACE_MAP.',
    );
  }
  if (rejected > 0) {
    lines.push(`${plural(rejected, 'item')} rejected: the API answers ${accepted === 0 && skipped === 0 ? '4xx' : '207'} with these pointers and messages.`);
  }
  return result(exitCode, `${lines.join('\n')}\n`);
};
