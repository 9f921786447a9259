// Where the CLI's settings come from (cli/env.ts): the environment over .local/stack.env, which `npm start` writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, parseStackEnv } from '../../cli/env.js';

const dir = mkdtempSync(join(tmpdir(), 'flink-atlas-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI environment', () => {
  it('reads KEY=value lines, a value keeping its own = signs; other lines are skipped', () => {
    expect(parseStackEnv('ATLAS_URL=http://127.0.0.1:21000\nWEBHOOK_SECRETS=whsec_abc==\n\n# note\n=nokey\n')).toEqual({
      ATLAS_URL: 'http://127.0.0.1:21000',
      WEBHOOK_SECRETS: 'whsec_abc==',
    });
  });

  it('the environment wins over the stack file; without the file, the environment alone', () => {
    const file = join(dir, 'stack.env');
    writeFileSync(file, 'ATLAS_URL=http://from-file:21000\nRETRY_QUEUE_URL=http://sqs/retry\n');
    expect(cliEnv({ ATLAS_URL: 'http://from-env:21000' }, pathToFileURL(file))).toEqual({
      ATLAS_URL: 'http://from-env:21000',
      RETRY_QUEUE_URL: 'http://sqs/retry',
    });
    expect(cliEnv({ ATLAS_USER: 'ops' }, pathToFileURL(join(dir, 'absent.env')))).toEqual({ ATLAS_USER: 'ops' });
  });
});
