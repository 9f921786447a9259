// Running one cell of the matrix: its preparation, the answers it expects, and a check retried until the retry
// worker has caught up.
import type { AxiosResponse } from 'axios';
import { expect } from 'vitest';
import type { StackInfo } from '../helpers/testStack.js';
import type { AtlasState } from './atlasState.js';
import type { CellNames, MatrixCase, Prepared } from './cases.js';
import { send } from './transports.js';

const describeAnswer = (answer: AxiosResponse): string => `HTTP ${answer.status} ${JSON.stringify(answer.data)}`;

/** 200, and every event of the request written (a 200 `skipped` answer, which writes nothing, fails). */
export const expectWritten = (answer: AxiosResponse<Record<string, any>>): void => {
  expect(answer.status, describeAnswer(answer)).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^application\/json\b/);
  const outcomes = ((answer.data.results ?? []) as { outcome?: string }[]).map((r) => r.outcome);
  expect(outcomes.length, describeAnswer(answer)).toBeGreaterThan(0);
  expect(outcomes.every((o) => o === 'written'), describeAnswer(answer)).toBe(true);
};

export interface ReportedEntity {
  typeName: string;
  qualifiedName: string;
  guid: string;
}

/** The entities a 200 (or 207) answer reports for its events. */
export const reportedEntities = (answer: Record<string, any>): ReportedEntity[] =>
  ((answer.results ?? []) as { entities?: ReportedEntity[] }[]).flatMap((r) => r.entities ?? []);

/** 202: the events are in the retry queue, named by their ids. */
export const expectQueued = (answer: AxiosResponse<Record<string, any>>): void => {
  expect(answer.status, describeAnswer(answer)).toBe(202);
  expect(answer.headers['content-type']).toMatch(/^application\/json\b/);
  expect((answer.data.queuedEventIds as unknown[] | undefined)?.length, describeAnswer(answer)).toBeGreaterThan(0);
};

/** Sends the case's preparation (plain, each written) and returns the guids of what it must have left. */
export const prepareCell = async (info: StackInfo, atlas: AtlasState, matrixCase: MatrixCase, names: CellNames): Promise<Prepared> => {
  for (const post of matrixCase.prepare?.(names) ?? []) expectWritten(await send(info, post));
  const prepared: Prepared = {};
  for (const [key, [typeName, qualifiedName]] of Object.entries(matrixCase.prepared?.(names) ?? {})) {
    const entity = await atlas.entity(typeName, qualifiedName);
    expect(entity?.guid, `the preparation wrote ${typeName} ${qualifiedName}`).toBeDefined();
    prepared[key] = entity!.guid!;
  }
  return prepared;
};

/** Runs `check` until it passes or `timeoutMs` is over; then fails with its last error. */
export const eventually = async (check: () => Promise<void>, timeoutMs: number, everyMs = 250): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
};
