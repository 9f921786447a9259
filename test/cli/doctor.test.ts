// flink-atlas doctor: the checks in order, PASS/FAIL/SKIP lines with hints, and the exit code.
import { describe, expect, it } from 'vitest';
import { runDoctor, type DoctorDeps } from '../../cli/commands/doctor.js';
import { configFromEnv } from '../../cli/env.js';
import { AtlasError, BRIDGE_TYPEDEFS, typedefNames, type AtlasBaseTypeDef } from '../../lib/atlas/index.js';

const ENV = {
  ATLAS_URL: 'http://atlas:21000',
  ATLAS_USER: 'admin',
  ATLAS_PASSWORD: 'secret-password',
  RETRY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/retry',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/dlq',
  AUTH_FLINK_EVENTS: 'signature',
  AUTH_OPENLINEAGE: 'api-key',
  AUTH_FLINK_JOBS: 'signature,api-key',
  WEBHOOK_SECRETS: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  API_KEYS_PARAM: '/bridge/api-keys',
};

const bridgeDefs = new Map<string, AtlasBaseTypeDef>(
  (['enumDefs', 'structDefs', 'entityDefs', 'relationshipDefs'] as const).flatMap((list) =>
    ((BRIDGE_TYPEDEFS[list] ?? []) as AtlasBaseTypeDef[]).map((d) => [d.name, d] as [string, AtlasBaseTypeDef])),
);
const DATASETS = ['DataSet', 'kafka_topic', 'hive_table', 'hive_db', 'hdfs_path', 'fs_path', 'aws_s3_v2_bucket', 'aws_s3_v2_directory', 'hbase_table', 'hbase_namespace'];

const deps = (overrides: {
  env?: Record<string, string | undefined>;
  status?: () => Promise<string>;
  typedef?: (name: string) => Promise<AtlasBaseTypeDef | undefined>;
  depth?: DoctorDeps['queueFor'];
} = {}): DoctorDeps => ({
  env: overrides.env ?? ENV,
  loadConfig: configFromEnv,
  atlasFor: () => ({
    status: overrides.status ?? (async () => 'ACTIVE'),
    getTypedefByName: overrides.typedef ?? (async (name: string) => bridgeDefs.get(name) ?? (DATASETS.includes(name) ? { name } : undefined)),
  }),
  queueFor: overrides.depth ?? (() => ({ depth: async (queue) => ({ visible: queue === 'deadLetter' ? 2 : 0, inFlight: 0, delayed: queue === 'retry' ? 1 : 0 }) })),
  now: () => 0,
});

const line = (stdout: string, name: string): string => stdout.split('\n').find((l) => l.includes(` ${name} `)) ?? '';

describe('flink-atlas doctor', () => {
  it('passes every check in order against a complete setup, and exits 0', async () => {
    const out = await runDoctor(deps());
    expect(out.exitCode).toBe(0);
    const checks = out.stdout.split('\n').filter((l) => /^ {2}(PASS|FAIL|SKIP)/.test(l)).map((l) => l.slice(8).trim().split('  ')[0]);
    expect(checks).toEqual([
      'configuration', 'Atlas reachable', 'credentials accepted', 'bridge types registered', 'dataset types present', 'queues reachable', 'signing or API key',
    ]);
    expect(out.stdout).toContain('All 7 checks passed.');
    expect(line(out.stdout, 'Atlas reachable')).toContain('GET http://atlas:21000/api/atlas/admin/status: ACTIVE');
    expect(line(out.stdout, 'bridge types registered')).toContain(`${typedefNames(BRIDGE_TYPEDEFS).length} typedefs present and up to date`);
    expect(line(out.stdout, 'queues reachable')).toContain('dead-letter queue: 2 (see `flink-atlas dlq list`)');
    expect(line(out.stdout, 'signing or API key')).toContain('POST /flink/events: signature; POST /api/v1/lineage: api-key; POST /flink/jobs: signature or api-key');
    // The password is never printed.
    expect(out.stdout).not.toContain('secret-password');
  });

  it('fails the configuration and skips what depends on it', async () => {
    const out = await runDoctor(deps({ env: { ATLAS_URL: 'atlas:21000' } }));
    expect(out.exitCode).toBe(1);
    expect(line(out.stdout, 'configuration')).toMatch(/^ {2}FAIL .*ATLAS_URL must be an http\(s\) URL.*; ATLAS_USER /);
    expect(out.stdout).toContain('hint: set ATLAS_URL, ATLAS_USER and ATLAS_PASSWORD');
    for (const name of ['Atlas reachable', 'credentials accepted', 'bridge types registered', 'dataset types present', 'queues reachable']) {
      expect(line(out.stdout, name)).toMatch(/^ {2}SKIP .*not checked: configuration failed/);
    }
    expect(line(out.stdout, 'signing or API key')).toMatch(/^ {2}FAIL .*AUTH_FLINK_EVENTS is not set/);
    expect(out.stdout).toContain('2 checks failed.');
  });

  it('says Atlas is unreachable with a hint about ATLAS_URL', async () => {
    const out = await runDoctor(deps({
      status: async () => {
        throw new AtlasError('Atlas status got no answer (ECONNREFUSED)', 'retryable', { networkCode: 'ECONNREFUSED' });
      },
    }));
    expect(out.exitCode).toBe(1);
    expect(line(out.stdout, 'Atlas reachable')).toContain('FAIL');
    expect(out.stdout).toContain('hint: nothing answers at http://atlas:21000: is Atlas running, is ATLAS_URL right');
    expect(line(out.stdout, 'credentials accepted')).toContain('SKIP');
  });

  it('names a passive HA node', async () => {
    const out = await runDoctor(deps({ status: async () => 'PASSIVE' }));
    expect(line(out.stdout, 'Atlas reachable')).toContain('answers PASSIVE, not ACTIVE');
    expect(out.stdout).toContain('passive node of an HA pair');
  });

  it('fails refused credentials with the ATLAS_USER / ATLAS_PASSWORD hint', async () => {
    const out = await runDoctor(deps({
      typedef: async () => {
        throw new AtlasError('Atlas typedef read failed with HTTP 401', 'auth', { status: 401 });
      },
    }));
    expect(out.exitCode).toBe(1);
    expect(line(out.stdout, 'credentials accepted')).toMatch(/FAIL {2}credentials accepted +Atlas typedef read failed with HTTP 401/);
    expect(out.stdout).toContain('hint: check ATLAS_USER / ATLAS_PASSWORD');
    expect(line(out.stdout, 'bridge types registered')).toContain('SKIP');
  });

  it('tells missing and out-of-date bridge types apart, and names missing dataset types', async () => {
    const missing = await runDoctor(deps({ typedef: async (name) => (DATASETS.includes(name) && name !== 'hbase_table' ? { name } : undefined) }));
    expect(missing.exitCode).toBe(1);
    expect(line(missing.stdout, 'bridge types registered')).toContain('missing in Atlas: ');
    expect(line(missing.stdout, 'bridge types registered')).toContain('flink_job');
    expect(missing.stdout).toContain('hint: run `flink-atlas register-types`');
    expect(line(missing.stdout, 'dataset types present')).toMatch(/FAIL {2}dataset types present +missing in Atlas: hbase_table$/);

    const job = bridgeDefs.get('flink_job') as AtlasBaseTypeDef & { attributeDefs: { name: string }[] };
    const older = { ...job, attributeDefs: job.attributeDefs.filter((a) => a.name !== 'lineageTime') };
    const outdated = await runDoctor(deps({ typedef: async (name) => (name === 'flink_job' ? older : bridgeDefs.get(name) ?? { name }) }));
    expect(line(outdated.stdout, 'bridge types registered')).toContain('out of date: Atlas lacks flink_job.lineageTime');
  });

  it('fails when no queues are configured, or SQS refuses GetQueueAttributes', async () => {
    const { RETRY_QUEUE_URL: _r, DEAD_LETTER_QUEUE_URL: _d, ...noQueues } = ENV;
    const none = await runDoctor(deps({ env: noQueues, depth: () => undefined }));
    expect(line(none.stdout, 'queues reachable')).toContain('RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL are not set');
    const refused = await runDoctor(deps({
      depth: () => ({
        depth: async () => {
          throw new Error('The security token included in the request is invalid.');
        },
      }),
    }));
    expect(refused.exitCode).toBe(1);
    expect(line(refused.stdout, 'queues reachable')).toContain('GetQueueAttributes failed: The security token included in the request is invalid.');
    expect(refused.stdout).toContain('hint: check the queue URLs, AWS_REGION and the AWS credentials');
  });

  it('fails a route whose mode needs secrets that are not configured; none passes, for local use', async () => {
    const { WEBHOOK_SECRETS: _s, ...noSecrets } = ENV;
    const out = await runDoctor(deps({ env: noSecrets }));
    expect(line(out.stdout, 'signing or API key')).toContain('AUTH_FLINK_EVENTS=signature but neither WEBHOOK_SECRETS nor WEBHOOK_SECRETS_PARAM is set');
    const local = await runDoctor(deps({ env: { ...ENV, AUTH_FLINK_EVENTS: 'none', AUTH_OPENLINEAGE: 'none', AUTH_FLINK_JOBS: 'none' } }));
    expect(local.exitCode).toBe(0);
    expect(line(local.stdout, 'signing or API key')).toContain('POST /flink/events: none (local use only)');
  });
});
