// flink-atlas register-types (`npm run register-types`): the bridge's typedefs into Atlas, with the Atlas given by
// flags over the environment; what an unreachable Atlas or a missing setting answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
import { startTestAtlas, type TestAtlas } from '../helpers/stack.js';

let atlas: TestAtlas;
beforeAll(async () => {
  atlas = await startTestAtlas({ register: false });
});
afterAll(async () => {
  await atlas.emulator.close();
});

const run = (args: string[], env: Record<string, string> = {}) => runCliCaptured(['register-types', ...args], env);

describe('flink-atlas register-types', () => {
  it('registers the types at --atlas-url with --user/--password over the environment, then finds nothing to create', async () => {
    const env = { ATLAS_URL: 'http://127.0.0.1:9', ATLAS_USER: 'nobody', ATLAS_PASSWORD: 'wrong' };
    const first = await run(['--atlas-url', atlas.emulator.url, '--user', 'admin', '--password', 'admin'], env);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Registered the bridge's types in Atlas at ${atlas.emulator.url}`);
    expect(first.stdout).toMatch(/created: +.*flink_job_run/);
    const again = await run([], { ATLAS_URL: atlas.emulator.url, ATLAS_USER: 'admin', ATLAS_PASSWORD: 'admin' });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/created: +none/);
  });

  it('an Atlas that does not answer: exit 1 with a hint; no ATLAS_URL: a usage error (exit 2)', async () => {
    const unreachable = await run(['--atlas-url', 'http://127.0.0.1:9', '--user', 'admin', '--password', 'admin'], { ATLAS_TIMEOUT_MS: '2000' });
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toContain('is Atlas running there, and is ATLAS_URL right?');
    const unset = await run([]);
    expect(unset.exitCode).toBe(2);
    expect(unset.stderr).toContain('ATLAS_URL');
  });
});
