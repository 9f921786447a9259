// The retry row of the end-to-end matrix: every case of ./cases.ts posted while the stack's Atlas is down
// (its outage switch: the emulator answers 503 to everything), answered 202 because the events are in the local
// SQS retry queue, then, once Atlas is back, drained by the retry worker (the bundled function, polled as the
// event source mapping would) into the same Atlas state as the direct path.
import axios, { type AxiosResponse } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectQueueEmpty } from '../helpers/sqs.js';
import { STACK_READY_TIMEOUT_MS, startTestStack, type RunningTestStack } from '../helpers/testStack.js';
import { atlasState, type AtlasState } from './atlasState.js';
import { cellNames, cellTag, MATRIX_CASES, type CellNames, type Prepared } from './cases.js';
import { eventually, expectQueued, prepareCell } from './cells.js';
import { send } from './transports.js';

/** Backoff is 1-10 s on the test stack; a drained queue takes a few rounds of it. */
const DRAIN_TIMEOUT_MS = 60_000;

let stack: RunningTestStack;
let atlas: AtlasState;

interface Cell {
  prepared: Prepared;
  answer: AxiosResponse<Record<string, any>>;
}
const cells = new Map<number, Cell>();
const namesOf = (index: number): CellNames => cellNames(cellTag('retry', index));

const setOutage = async (on: boolean): Promise<void> => {
  const { outage } = stack.info;
  expect((await axios.request({ method: on ? outage.on : outage.off, url: outage.url })).status).toBe(200);
};

beforeAll(async () => {
  stack = await startTestStack();
  atlas = atlasState(stack.info);
  // Preparations (the CREATE a DROP removes) go in while Atlas is up; then every request under test while it is down.
  const prepared = await Promise.all(MATRIX_CASES.map((matrixCase, index) => prepareCell(stack.info, atlas, matrixCase, namesOf(index))));
  await setOutage(true);
  try {
    for (const [index, matrixCase] of MATRIX_CASES.entries()) {
      cells.set(index, { prepared: prepared[index]!, answer: await send(stack.info, matrixCase.request(namesOf(index))) });
    }
  } finally {
    await setOutage(false);
  }
}, STACK_READY_TIMEOUT_MS + 60_000);

afterAll(() => stack?.kill());

describe('E2E through the retry worker (Atlas down: 202 queued; Atlas back: drained)', () => {
  MATRIX_CASES.forEach((matrixCase, index) => {
    it(matrixCase.kind, async () => {
      const cell = cells.get(index)!;
      expectQueued(cell.answer);
      await eventually(() => matrixCase.check(atlas, namesOf(index), cell.prepared), DRAIN_TIMEOUT_MS);
    }, DRAIN_TIMEOUT_MS + 10_000);
  });

  it('dead-letters none of them', async () => {
    await expectQueueEmpty(stack.info.deadLetterQueueUrl);
  });
});
