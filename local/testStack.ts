// The whole bridge for tests in other languages (the Java Flink tests): the Atlas emulator with the bridge's
// types, local SQS with the retry worker polling it, and serverless offline serving the bundled functions with
// credentials REQUIRED (signed webhooks on /flink/events, an API key on /api/v1/lineage, either on /flink/jobs),
// all on free ports with freshly generated secrets. Progress goes to stderr; stdout gets ONE JSON line:
//
//   {eventsUrl, lineageUrl, flinkJobsUrl, atlasUrl, atlasUser, atlasPassword, webhookSecret, webhookSecrets,
//    apiKey, outage: {url, on: "POST", off: "DELETE"}, retryQueueUrl, deadLetterQueueUrl}
//
// POST outage.url makes Atlas answer 503 to everything, DELETE ends it. Runs until stdin closes or SIGTERM.
import { randomBytes } from 'node:crypto';
import { AtlasClient, registerTypes } from '../lib/atlas/index.js';
import { signatureHeaders } from '../cli/auth.js';
import { startAtlasEmulator } from './atlas-emulator/index.js';
import { startLineageServer } from './lineageServer.js';
import { queueEnv, startLocalSqs } from './localSqs.js';
import { retryWorkerViaOffline, startOffline, waitUntilAnswering } from './offline.js';
import { freePort } from './ports.js';
import { createShutdown } from './shutdown.js';
import { startSqsPoller } from './sqsPoller.js';

const log = (line: string): void => void process.stderr.write(`test-stack: ${line}\n`);
const shutdown = createShutdown(log);
const stop = shutdown.stop;
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
process.stdin.on('end', () => void stop(0));
process.stdin.on('close', () => void stop(0));
process.stdin.resume();

try {
  const emulator = await startAtlasEmulator({ port: 0 });
  shutdown.add(() => emulator.close());
  const atlas = { baseUrl: emulator.url, user: 'admin', password: 'admin', timeoutMs: 5000 };
  const report = await registerTypes(new AtlasClient(atlas));
  if (report.conflicts.length > 0) throw new Error('the emulator holds typedefs the bridge cannot use');

  const sqs = await startLocalSqs({ port: 0 });
  shutdown.add(async () => {
    sqs.sqs.destroy();
    await sqs.close();
  });

  // Two accepted secrets, as during a rotation: senders sign with the first.
  const webhookSecrets = [0, 1].map(() => `whsec_${randomBytes(32).toString('base64')}`);
  const apiKey = `itk_${randomBytes(24).toString('hex')}`;
  const httpPort = await freePort();
  const lambdaPort = await freePort();
  const offline = await startOffline({
    httpPort,
    lambdaPort,
    env: {
      ATLAS_URL: atlas.baseUrl,
      ATLAS_USER: atlas.user,
      ATLAS_PASSWORD: atlas.password,
      ATLAS_PASSWORD_PARAM: '',
      ...queueEnv(sqs),
      CONFIRM_DELAY_SECONDS: '5',
      BACKOFF_BASE_SECONDS: '1',
      BACKOFF_MAX_SECONDS: '10',
      AUTH_FLINK_EVENTS: 'signature',
      AUTH_OPENLINEAGE: 'api-key',
      AUTH_FLINK_JOBS: 'signature,api-key',
      WEBHOOK_SECRETS: webhookSecrets.join(' '),
      WEBHOOK_SECRETS_PARAM: '',
      API_KEYS: apiKey,
      API_KEYS_PARAM: '',
      // Fleet mode's settings, passed through when the caller sets them (test/e2e/fleetMode.test.ts).
      ...Object.fromEntries(
        ['DELIVERY_MODE', 'CHECKPOINT_WRITE_INTERVAL_SECONDS', 'ATLAS_MAX_CONCURRENCY'].flatMap((name) => {
          const value = process.env[name];
          return value === undefined ? [] : [[name, value]];
        }),
      ),
    },
  });
  shutdown.add(() => offline.stop());
  try {
    await waitUntilAnswering(offline, 180_000, (body) => signatureHeaders(body, webhookSecrets[0]!));
  } catch (error) {
    log(`serverless offline output:\n${offline.output()}`);
    throw error;
  }
  void offline.exited.then(({ code, signal }) => {
    if (!shutdown.stopping) {
      log(`serverless offline exited unexpectedly (${signal ?? `exit code ${code}`})`);
      void stop(1);
    }
  });

  const worker = startSqsPoller(sqs.sqs, sqs.urls.retry, retryWorkerViaOffline(lambdaPort), {
    onError: (error) => log(`retry worker: ${error instanceof Error ? error.message : String(error)}`),
  });
  shutdown.add(() => worker.stop());

  // The lineage server carries the outage switch (POST/DELETE /atlas/outage).
  const control = await startLineageServer({
    atlas,
    port: 0,
    setAtlasOutage: (on) => emulator.setFault(on ? () => ({ kind: 'status', status: 503, body: 'Atlas is down (test outage switch)' }) : undefined),
  });
  shutdown.add(() => control.close());

  const base = `http://127.0.0.1:${httpPort}`;
  process.stdout.write(
    JSON.stringify({
      eventsUrl: `${base}/flink/events`,
      lineageUrl: `${base}/api/v1/lineage`,
      flinkJobsUrl: `${base}/flink/jobs`,
      atlasUrl: atlas.baseUrl,
      atlasUser: atlas.user,
      atlasPassword: atlas.password,
      webhookSecret: webhookSecrets[0],
      webhookSecrets,
      apiKey,
      outage: { url: `http://127.0.0.1:${control.port}/atlas/outage`, on: 'POST', off: 'DELETE' },
      retryQueueUrl: sqs.urls.retry,
      deadLetterQueueUrl: sqs.urls.deadLetter,
    }) + '\n',
  );
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  await stop(1);
}
