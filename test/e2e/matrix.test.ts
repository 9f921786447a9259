// The end-to-end matrix through the real local stack (local/testStack.ts: the bundled functions under serverless
// offline with credentials required, local SQS, the retry worker, the Atlas emulator): every case of ./cases.ts
// (every route × event kind and action) × every transport, each answered 200 and checked in the emulator's state.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { STACK_READY_TIMEOUT_MS, startTestStack, type RunningTestStack } from '../helpers/testStack.js';
import { atlasState, type AtlasState } from './atlasState.js';
import { cellNames, MATRIX_CASES } from './cases.js';
import { expectWritten, prepareCell } from './cells.js';
import { send, TRANSPORTS } from './transports.js';

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
        const names = cellNames(`${transport}-${String(index).padStart(2, '0')}`);
        const prepared = await prepareCell(stack.info, atlas, matrixCase, names);
        expectWritten(await send(stack.info, matrixCase.request(names), transport));
        await matrixCase.check(atlas, names, prepared);
      }, 60_000);
    });
  });
}
