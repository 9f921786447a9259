// `npm start`: the whole bridge on this machine. An Atlas (the emulator, unless ATLAS_URL names a real one),
// the bridge's types registered in it, serverless offline serving POST /flink/events, the sample events of
// local/samples/ sent through it, and the lineage they produced read back from Atlas. Runs until Ctrl+C.
//
//   PORT (3000)          serverless offline's HTTP port
//   LAMBDA_PORT (3002)   its Lambda invoke API (a free port is used when this one is taken)
//   ATLAS_PORT (21000)   the emulator's port (a free port is used when this one is taken)
//   SQS_PORT (9324)      the local SQS (retry queue + dead-letter queue) (a free port when taken)
//   LINEAGE_PORT (3001)  the lineage page, http://127.0.0.1:3001/lineage (a free port when taken)
//   ATLAS_URL, ATLAS_USER, ATLAS_PASSWORD   use this Atlas instead of the emulator (user/password default admin/admin)
//   --logs               keep printing serverless offline's output once the bridge is ready
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import axios from 'axios';
import { AtlasClient, registerTypes } from '../lib/atlas/index.js';
import { loadConfig } from '../lib/config/index.js';
import { startAtlasEmulator } from './atlas-emulator/index.js';
import { startLineageServer } from './lineageServer.js';
import { queueEnv, startLocalSqs } from './localSqs.js';
import { createShutdown } from './shutdown.js';
import { startSqsPoller } from './sqsPoller.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { freePort, isAddressInUse, portIsFree } from './ports.js';
import { retryWorkerViaOffline, startOffline, waitUntilAnswering, type Offline } from './offline.js';
import { describeJobLineage } from './printLineage.js';
import { jobsIn, loadSamples, sampleOutcome, SAMPLES_DIR } from './samples.js';
import { formatTypeReport } from './typeReport.js';

interface Atlas {
  url: string;
  user: string;
  password: string;
  /** The local emulator only: make it answer 503 to everything, or stop doing so. */
  setOutage?: (on: boolean) => void;
  /** How the ready line names it: credentials are shown for the emulator only. */
  label: string;
  close(): Promise<void>;
}

/**
 * The local stack takes unsigned requests: every route explicitly `none` (a deployed function with no AUTH_*
 * refuses to serve), and the password given in the environment rather than read from SSM.
 */
const LOCAL_AUTH_ENV = {
  AUTH_FLINK_EVENTS: 'none',
  AUTH_OPENLINEAGE: 'none',
  AUTH_FLINK_JOBS: 'none',
  ATLAS_PASSWORD_PARAM: '',
  WEBHOOK_SECRETS_PARAM: '',
  API_KEYS_PARAM: '',
};

const startAtlas = async (): Promise<Atlas> => {
  const given = process.env.ATLAS_URL;
  if (given !== undefined && given !== '') {
    const user = process.env.ATLAS_USER ?? 'admin';
    return { url: given, user, password: process.env.ATLAS_PASSWORD ?? 'admin', label: `user ${user}`, close: async () => {} };
  }
  const preferred = Number(process.env.ATLAS_PORT ?? 21000);
  const emulator = await startAtlasEmulator({ port: preferred }).catch((error: unknown) => {
    if (!isAddressInUse(error)) throw error;
    console.log(`Port ${preferred} is taken; the Atlas emulator takes a free port instead.`);
    return startAtlasEmulator({ port: 0 });
  });
  return {
    url: emulator.url,
    user: 'admin',
    password: 'admin',
    label: 'admin/admin',
    close: () => emulator.close(),
    // An Atlas outage on demand, to watch events queue and drain (docs/development.md, the local stack).
    setOutage: (on) => emulator.setFault(on ? () => ({ kind: 'status', status: 503, body: 'Atlas is down (local outage switch)' }) : undefined),
  };
};

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const main = async (): Promise<void> => {
  const { values: flags } = parseArgs({ options: { logs: { type: 'boolean', default: false } } });
  const started = Date.now();
  const shutdown = createShutdown((line) => console.error(line));
  const stop = shutdown.stop;
  let offline: Offline | undefined;

  const fail = async (error: unknown): Promise<never> => {
    if (offline !== undefined && offline.output().trim() !== '') {
      console.error(`\n---- serverless offline output ----\n${offline.output().trimEnd()}\n-----------------------------------`);
    }
    console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
    return stop(1);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping serverless offline${shutdown.size > 1 ? ' and the Atlas emulator' : ''}...`);
      void stop(0);
    });
  }

  try {
    const httpPort = Number(process.env.PORT ?? 3000);
    if (!(await portIsFree(httpPort))) throw new Error(`port ${httpPort} is already in use: stop what holds it, or set PORT`);

    // 1. Atlas
    const atlas = await startAtlas();
    shutdown.add(() => atlas.close());
    console.log(`Atlas: ${atlas.url} (${atlas.label})`);
    const config = loadConfig({ ...process.env, ATLAS_URL: atlas.url, ATLAS_USER: atlas.user, ATLAS_PASSWORD: atlas.password });
    const client = new AtlasClient(config.atlas);

    // 2. The bridge's types
    const report = await registerTypes(client);
    console.log(`Registered the bridge's Atlas types:\n${formatTypeReport(report)}`);
    if (report.conflicts.length > 0) throw new Error('Atlas holds typedefs the bridge cannot use (see CONFLICTS above)');

    // 3. A real local SQS: the retry queue and its dead-letter queue
    const sqs = await startLocalSqs({ port: await freePort(Number(process.env.SQS_PORT ?? 9324)) });
    shutdown.add(async () => {
      sqs.sqs.destroy();
      await sqs.close();
    });
    const localQueueEnv = {
      ...queueEnv(sqs),
      // Shorter than in AWS, so that a local retry is seen within seconds.
      CONFIRM_DELAY_SECONDS: '5',
      BACKOFF_BASE_SECONDS: '2',
      BACKOFF_MAX_SECONDS: '30',
    };
    // `npm run dlq` and `npm run redrive` find the local queues here.
    mkdirSync('.local', { recursive: true });
    // `flink-atlas` (doctor, send, dlq) finds the whole local stack here; a real Atlas's password is not written.
    const stackEnv = {
      ...localQueueEnv,
      ...LOCAL_AUTH_ENV,
      ATLAS_URL: atlas.url,
      ATLAS_USER: atlas.user,
      ...(process.env.ATLAS_URL ? {} : { ATLAS_PASSWORD: atlas.password }),
      BRIDGE_URL: `http://127.0.0.1:${httpPort}`,
    };
    writeFileSync('.local/stack.env', Object.entries(stackEnv).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    console.log(`Local SQS: ${sqs.endpoint} (retry queue and dead-letter queue)`);

    // 4. serverless offline
    const lambdaPort = await freePort(Number(process.env.LAMBDA_PORT ?? 3002));
    const startedOffline = Date.now();
    console.log(`Starting serverless offline on port ${httpPort} (esbuild bundles the handlers first)...`);
    const running = await startOffline({
      httpPort,
      lambdaPort,
      env: { ATLAS_URL: atlas.url, ATLAS_USER: atlas.user, ATLAS_PASSWORD: atlas.password, ...localQueueEnv, ...LOCAL_AUTH_ENV },
    });
    offline = running;
    shutdown.add(() => running.stop());
    await waitUntilAnswering(running);
    console.log(`  serving POST ${running.eventsUrl} after ${seconds(startedOffline)}`);

    // 5. The retry worker: locally nothing triggers it from SQS, so a poller invokes the bundled function
    // through serverless offline's Lambda API, deleting what it does not report as failed.
    const worker = startSqsPoller(sqs.sqs, sqs.urls.retry, retryWorkerViaOffline(lambdaPort), {
      onError: (error) => console.error(`retry worker: ${error instanceof Error ? error.message : String(error)}`),
    });
    shutdown.add(() => worker.stop());

    // 6. The lineage page, beside serverless offline (which owns PORT): it reads Atlas with the credentials above
    const lineage = await startLineageServer({
      atlas: config.atlas,
      port: await freePort(Number(process.env.LINEAGE_PORT ?? 3001)),
      ...(atlas.setOutage === undefined ? {} : { setAtlasOutage: atlas.setOutage }),
    });
    shutdown.add(() => lineage.close());

    // 7. The sample events, one request each, in file-name order
    const samples = loadSamples();
    console.log(`Sending the ${samples.length} sample events of ${relative(process.cwd(), SAMPLES_DIR) || '.'}:`);
    let queued = 0;
    for (const { file, event } of samples) {
      const response = await axios.post(running.eventsUrl, event, { timeout: 60_000, validateStatus: () => true });
      const outcome = sampleOutcome(response.status);
      console.log(`  ${response.status} ${file}${outcome === 'queued' ? '  queued: Atlas failed the write, the retry worker will write it' : ''}`);
      if (outcome === 'refused') throw new Error(`${file} was answered HTTP ${response.status}: ${JSON.stringify(response.data)}`);
      if (outcome === 'queued') queued += 1;
    }

    // 8. What Atlas now holds (a job whose events are all queued is not there yet)
    console.log('Lineage in Atlas (datasets → job → datasets):');
    for (const job of jobsIn(samples)) {
      const described = await describeJobLineage(client, job, config.naming).catch(
        (error: unknown) => `  ${job.cluster}/${job.name}: not in Atlas yet (${error instanceof Error ? error.message : String(error)})`,
      );
      console.log(described);
    }
    if (queued > 0) console.log(`${queued} sample event(s) queued; the retry worker writes them once Atlas takes writes again.`);

    const lastSample = samples.at(-1)?.file ?? 'event.json';
    console.log(
      `\nflink-atlas-bridge ready: POST ${running.eventsUrl}  (Atlas: ${atlas.url}, ${atlas.label})\n` +
        `  lineage page: ${lineage.url}  (flink-atlas doctor, map, send, dlq: npx flink-atlas --help)\n` +
        `  curl -s -X POST ${running.eventsUrl} -H 'content-type: application/json' -d @local/samples/${lastSample}\n` +
        `  retry queue: ${sqs.urls.retry}  (npm run dlq -- list, npm run redrive)\n` +
        `  (ready after ${seconds(started)}; Ctrl+C stops${flags.logs ? '' : '; `npm start -- --logs` shows the handler logs'})`,
    );
    if (flags.logs) running.echo();
  } catch (error) {
    await fail(error);
  }

  const { code, signal } = await offline!.exited;
  if (!shutdown.stopping) await fail(new Error(`serverless offline exited unexpectedly (${signal ?? `exit code ${code}`})`));
};

await main();
