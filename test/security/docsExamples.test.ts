// The signing examples of docs/security.md, run as written against the real handler behind HTTP:
// the Java class is compiled and called, the shell step is run with openssl, coreutils and curl.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/flinkEvents.js';
import { serveHandler } from '../helpers/handlerServer.js';
import { TEST_WEBHOOK_SECRET } from '../helpers/signing.js';
import { startTestAtlas, useBridgeEnv, type TestAtlas } from '../helpers/stack.js';

const SECURITY_DOC = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
const run = promisify(execFile);

/** The fenced block right after `<!-- example: name … -->`. */
const example = (name: string): string => {
  const match = new RegExp(`<!-- example: ${name}\\b[^>]*-->\\s*\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(SECURITY_DOC);
  if (match?.[1] === undefined) throw new Error(`docs/security.md has no example ${name}`);
  return match[1];
};

const hasJava = spawnSync('javac', ['-version']).status === 0;
const hasShellTools = ['openssl', 'curl', 'od', 'base64'].every((tool) => spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0);

let atlas: TestAtlas;
let server: { url: string; close(): Promise<void> };
let restoreEnv: () => void;
let dir: string;

beforeAll(async () => {
  atlas = await startTestAtlas();
  restoreEnv = useBridgeEnv(atlas.emulator.url, { AUTH_FLINK_EVENTS: 'signature', WEBHOOK_SECRETS: TEST_WEBHOOK_SECRET });
  server = await serveHandler(handler as never);
  dir = mkdtempSync(join(tmpdir(), 'fab-docs-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
  restoreEnv();
  await atlas.emulator.close();
});

const EVENT = readFileSync(new URL('../../schema/examples/job.status.json', import.meta.url), 'utf8');

describe('docs/security.md signing examples', () => {
  it.skipIf(!hasShellTools)('the shell step posts a signed event the bridge writes', async () => {
    writeFileSync(join(dir, 'event.json'), EVENT);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', example('shell-signer')], {
      cwd: dir,
      env: { ...process.env, WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, BRIDGE_URL: server.url },
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toMatchObject({ summary: { written: 1 } });
  });

  it.skipIf(!hasJava)('the Java class posts a signed event the bridge writes (200), and a wrong secret gets 401', async () => {
    writeFileSync(join(dir, 'AtlasBridgeWebhook.java'), example('java-signer'));
    writeFileSync(join(dir, 'Main.java'), [
      'public class Main {',
      '  public static void main(String[] args) throws Exception {',
      '    String json = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);',
      '    System.out.print(new AtlasBridgeWebhook(args[0], args[1]).post(json));',
      '  }',
      '}',
    ].join('\n'));
    await run('javac', ['-d', dir, join(dir, 'AtlasBridgeWebhook.java'), join(dir, 'Main.java')], { timeout: 60_000 });
    const post = (secret: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('java', ['-cp', dir, 'Main', `${server.url}/flink/events`, secret], { timeout: 60_000 }, (error, stdout) =>
          error ? reject(error) : resolve(stdout));
        child.stdin?.end(EVENT.replace('0b8f3c2e-5a1d-4c7e-9f2a-3d4b5c6e7f80', '0b8f3c2e-5a1d-4c7e-9f2a-3d4b5c6e7f81'));
      });
    expect(await post(TEST_WEBHOOK_SECRET)).toBe('200');
    expect(await post('whsec_b3RoZXItc2VjcmV0LW9mLWFub3RoZXItc2VuZGVy')).toBe('401');
  }, 120_000);
});
