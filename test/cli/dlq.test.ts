// flink-atlas dlq (`npm run dlq`, `npm run redrive`) when the queues are not there: a clear answer, never a crash.
// What the commands do with a real local SQS is in e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';

const ATLAS = { ATLAS_URL: 'http://127.0.0.1:21000', ATLAS_USER: 'admin', ATLAS_PASSWORD: 'admin' };
// Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
const UNREACHABLE = {
  ...ATLAS,
  RETRY_QUEUE_URL: 'http://127.0.0.1:9/000000000000/retry',
  DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9/000000000000/dlq',
  AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
};

describe('flink-atlas dlq without its queues', () => {
  it.each([['list'], ['show', 'some-event-id'], ['redrive', '--dry-run']])('dlq %s: queues that do not answer are exit 1, named', async (...args) => {
    const answer = await runCliCaptured(['dlq', ...args], UNREACHABLE);
    expect(answer.exitCode).toBe(1);
    expect(answer.stdout).toBe('');
    expect(answer.stderr).toContain(`dlq ${args[0]} failed: the queues did not answer (`);
    expect(answer.stderr).toContain('ECONNREFUSED');
  });

  it('no queue URLs is a usage error (exit 2) that says how to set them', async () => {
    const answer = await runCliCaptured(['dlq', 'list'], ATLAS);
    expect(answer.exitCode).toBe(2);
    expect(answer.stderr).toContain('RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL are not set');
  });

  it('a bad --filter of redrive is a usage error before any queue is read', async () => {
    const answer = await runCliCaptured(['dlq', 'redrive', '--filter', 'colour=blue'], UNREACHABLE);
    expect(answer.exitCode).toBe(2);
  });
});
