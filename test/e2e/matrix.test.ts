// The end-to-end matrix through the real local stack (local/testStack.ts: the bundled functions under serverless
// offline with credentials required, local SQS, the retry worker, the Atlas emulator): every case of ./cases.ts
// (every route × event kind and action) × every transport, each answered 200 and checked in the emulator's state;
// then every case delivered twice, every /flink/events case beside an invalid event in one batch, and the
// published examples as they are.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_READY_TIMEOUT_MS, startTestStack, type RunningTestStack } from '../helpers/testStack.js';
import { atlasState, type AtlasState } from './atlasState.js';
import { cellNames, cellTag, MATRIX_CASES, type MatrixCase } from './cases.js';
import { expectWritten, prepareCell, reportedEntities } from './cells.js';
import { reachesFunctionAsText, send, TRANSPORTS } from './transports.js';

let stack: RunningTestStack;
let atlas: AtlasState;

beforeAll(async () => {
  stack = await startTestStack();
  atlas = atlasState(stack.info);
}, STACK_READY_TIMEOUT_MS + 10_000);

afterAll(() => stack?.kill());

for (const transport of TRANSPORTS) {
  describe(`E2E ${transport}`, () => {
    MATRIX_CASES.forEach((matrixCase, index) => {
      it(matrixCase.kind, async () => {
        const names = cellNames(cellTag(transport, index));
        const prepared = await prepareCell(stack.info, atlas, matrixCase, names);
        const request = matrixCase.request(names);
        expect(reachesFunctionAsText(transport, JSON.stringify(request.body)), 'delivered as text').toBe(transport === 'plain');
        expectWritten(await send(stack.info, request, transport));
        await matrixCase.check(atlas, names, prepared);
      }, 60_000);
    });
  });
}

/** The entities a 200 answer reports for its events, as Atlas holds them now: `type qualifiedName` → version. */
const versionsOf = async (answer: Record<string, any>): Promise<Record<string, number | undefined>> => {
  const versions: Record<string, number | undefined> = {};
  for (const { typeName, qualifiedName, guid } of reportedEntities(answer)) versions[`${typeName} ${qualifiedName}`] = (await atlas.byGuid(guid))?.version;
  return versions;
};

// At-least-once senders deliver some events twice, and another Lambda container has no replay cache entry for
// them: the same body again under a new webhook-id must be answered 200 and leave the same state.
describe('E2E duplicate delivery (the same body twice, each under its own webhook-id)', () => {
  MATRIX_CASES.forEach((matrixCase, index) => {
    it(matrixCase.kind, async () => {
      const names = cellNames(cellTag('dup', index));
      const prepared = await prepareCell(stack.info, atlas, matrixCase, names);
      const request = matrixCase.request(names);
      const first = await send(stack.info, request);
      expectWritten(first);
      const versions = await versionsOf(first.data);
      expect(Object.values(versions).every((v) => typeof v === 'number'), JSON.stringify(versions)).toBe(true);
      const second = await send(stack.info, request);
      expectWritten(second);
      // A duplicate costs one read and no write: no entity the first delivery wrote moved to a new version.
      expect(await versionsOf(first.data)).toEqual(versions);
      await matrixCase.check(atlas, names, prepared);
    }, 60_000);
  });
});

// A bad event in a batch is refused with its place and what is wrong, and nothing valid beside it is lost.
const postsNativeEvents = (matrixCase: MatrixCase): boolean => matrixCase.request(cellNames('route-probe')).route === 'events';

describe('E2E beside an invalid event in one /flink/events batch (207)', () => {
  MATRIX_CASES.forEach((matrixCase, index) => {
    if (!postsNativeEvents(matrixCase)) return;
    it(matrixCase.kind, async () => {
      const names = cellNames(cellTag('bad', index));
      const prepared = await prepareCell(stack.info, atlas, matrixCase, names);
      const request = matrixCase.request(names);
      const valid = Array.isArray(request.body) ? request.body : [request.body];
      const invalid = { type: 'job.status', eventId: randomUUID(), eventTime: 'yesterday', cluster: names.cluster, job: { id: names.jobId, name: names.job, status: 'RUNNING' } };
      const answer = await send(stack.info, { route: 'events', body: [...valid, invalid] });
      expect(answer.status, JSON.stringify(answer.data)).toBe(207);
      expect(answer.data.summary).toMatchObject({ written: valid.length, rejected: 1 });
      expect(answer.data.results[valid.length]).toMatchObject({ index: valid.length, outcome: 'rejected', problems: [expect.objectContaining({ pointer: `/${valid.length}/eventTime` })] });
      await matrixCase.check(atlas, names, prepared);
    }, 60_000);
  });
});

// What a new user curls first (README): each published example as it is, every entity its answer reports found in
// the emulator under that type, qualifiedName and guid.
const EXAMPLES_DIR = new URL('../../schema/examples/', import.meta.url);

describe('E2E the published examples (schema/examples/), as they are', () => {
  for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort()) {
    it(file, async () => {
      const answer = await send(stack.info, { route: 'events', body: JSON.parse(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8')) });
      expectWritten(answer);
      const reported = reportedEntities(answer.data);
      expect(reported.length).toBeGreaterThan(0);
      for (const { typeName, qualifiedName, guid } of reported) {
        expect((await atlas.entity(typeName, qualifiedName))?.guid, `${typeName} ${qualifiedName}`).toBe(guid);
      }
    }, 60_000);
  }
});
