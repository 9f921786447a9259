// flink-atlas doctor: "why is my lineage missing?" The checks run in order, each printing PASS, FAIL or SKIP (an
// earlier check it depends on failed) and, on failure, a hint. Exit 0 when all pass, 1 when any fails.
import {
  AtlasError, BRIDGE_TYPEDEFS, planTypeRegistration, readRegisteredTypedefs, typedefNames, type AtlasClient,
} from '../../lib/atlas/index.js';
import { ConfigError, type BridgeConfig } from '../../lib/config/index.js';
import type { RetryQueue } from '../../lib/queue/index.js';
import { checkBridgeAuth } from '../auth.js';
import type { Env } from '../env.js';
import { plural } from '../format.js';
import { result, type CommandResult } from '../result.js';

/** The Atlas types the naming table writes datasets as (docs/atlas-model.md, "Datasets"). */
export const DATASET_TYPES = [
  'kafka_topic', 'hive_table', 'hive_db', 'hdfs_path', 'fs_path',
  'aws_s3_v2_bucket', 'aws_s3_v2_directory', 'hbase_table', 'hbase_namespace',
] as const;

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckLine {
  name: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export interface DoctorDeps {
  env: Env;
  /** Throws ConfigError when the environment is incomplete. */
  loadConfig(env: Env): BridgeConfig;
  atlasFor(config: BridgeConfig): Pick<AtlasClient, 'status' | 'getTypedefByName'>;
  queueFor(config: BridgeConfig): Pick<RetryQueue, 'depth'> | undefined;
  now?: () => number;
}

const CONFIG_HINT =
  'set ATLAS_URL, ATLAS_USER and ATLAS_PASSWORD as the functions get them (serverless.yml / the deployed environment), ' +
  'or run `npm start`, which writes .local/stack.env for the local stack';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const atlasHint = (error: unknown, url: string): string => {
  if (error instanceof AtlasError) {
    if (error.kind === 'auth') return 'check ATLAS_USER / ATLAS_PASSWORD, and any proxy (Knox) in front of Atlas';
    if (error.details.networkCode !== undefined) {
      return `nothing answers at ${url}: is Atlas running, is ATLAS_URL right (scheme, host, port; the client adds /api/atlas), and can this machine reach it (VPC, security group)?`;
    }
    if (error.details.status === 404) return `${url} answers, but not like Atlas: ATLAS_URL must be Atlas's base URL, without /api/atlas`;
  }
  return 'see the message above; Atlas logs (application.log) say more';
};

export const runDoctor = async (deps: DoctorDeps): Promise<CommandResult> => {
  const now = deps.now ?? (() => Date.now());
  const lines: CheckLine[] = [];
  const add = (line: CheckLine): boolean => {
    lines.push(line);
    return line.status === 'pass';
  };
  const skip = (name: string, because: string): void => {
    lines.push({ name, status: 'skip', detail: `not checked: ${because} failed` });
  };

  // 1. Configuration
  let config: BridgeConfig | undefined;
  try {
    config = deps.loadConfig(deps.env);
    add({
      name: 'configuration',
      status: 'pass',
      detail: `Atlas ${config.atlas.baseUrl} as ${config.atlas.user}, namespace ${config.naming.atlasNamespace}` +
        `${Object.keys(config.naming.namespaceOverrides).length > 0 ? ` (+${Object.keys(config.naming.namespaceOverrides).length} mapped)` : ''}` +
        `, ${config.queue === undefined ? 'no queues' : 'retry queue and DLQ set'}`,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    add({ name: 'configuration', status: 'fail', detail: error.message, hint: CONFIG_HINT });
  }

  // 2-5. Atlas
  const atlasChecks = ['Atlas reachable', 'credentials accepted', 'bridge types registered', 'dataset types present'];
  if (config === undefined) {
    for (const name of atlasChecks) skip(name, 'configuration');
  } else {
    const atlas = deps.atlasFor(config);
    const url = config.atlas.baseUrl;
    let ok = false;
    const started = now();
    try {
      const status = await atlas.status();
      ok = add(
        status === 'ACTIVE'
          ? { name: 'Atlas reachable', status: 'pass', detail: `GET ${url.replace(/\/+$/, '')}/api/atlas/admin/status: ACTIVE (${now() - started} ms)` }
          : {
              name: 'Atlas reachable',
              status: 'fail',
              detail: `GET /api/atlas/admin/status answers ${status}, not ACTIVE`,
              hint: 'Atlas is starting, or is the passive node of an HA pair: point ATLAS_URL at the active one (or the load balancer), or wait',
            },
      );
    } catch (error) {
      add({ name: 'Atlas reachable', status: 'fail', detail: messageOf(error), hint: atlasHint(error, url) });
    }

    if (!ok) {
      for (const name of atlasChecks.slice(1)) skip(name, 'Atlas reachable');
    } else {
      try {
        await atlas.getTypedefByName('DataSet');
        ok = add({ name: 'credentials accepted', status: 'pass', detail: `${config.atlas.user} can read typedefs` });
      } catch (error) {
        ok = add({ name: 'credentials accepted', status: 'fail', detail: messageOf(error), hint: atlasHint(error, url) });
      }
      if (!ok) {
        for (const name of atlasChecks.slice(2)) skip(name, 'credentials accepted');
      } else {
        try {
          const plan = planTypeRegistration(BRIDGE_TYPEDEFS, await readRegisteredTypedefs(atlas));
          const missing = typedefNames(plan.create);
          const hint = 'run `flink-atlas register-types` (or `serverless invoke -f registerTypes`): it creates what is missing and adds missing optional attributes';
          if (plan.conflicts.length > 0) {
            add({
              name: 'bridge types registered',
              status: 'fail',
              detail: `Atlas holds definitions the bridge cannot update in place: ${plan.conflicts.join('; ')}`,
              hint: 'registration reports these and never forces them: an Atlas admin must change or remove the conflicting typedefs (docs/atlas-model.md)',
            });
          } else if (missing.length > 0) {
            add({ name: 'bridge types registered', status: 'fail', detail: `missing in Atlas: ${missing.join(', ')}`, hint });
          } else if (plan.addedAttributes.length > 0) {
            add({ name: 'bridge types registered', status: 'fail', detail: `out of date: Atlas lacks ${plan.addedAttributes.join(', ')}`, hint });
          } else {
            add({ name: 'bridge types registered', status: 'pass', detail: `${plural(plan.unchanged.length, 'typedef')} present and up to date` });
          }
        } catch (error) {
          add({ name: 'bridge types registered', status: 'fail', detail: messageOf(error), hint: atlasHint(error, url) });
        }
        try {
          const missing: string[] = [];
          for (const name of DATASET_TYPES) if ((await atlas.getTypedefByName(name)) === undefined) missing.push(name);
          add(
            missing.length === 0
              ? { name: 'dataset types present', status: 'pass', detail: DATASET_TYPES.join(', ') }
              : {
                  name: 'dataset types present',
                  status: 'fail',
                  detail: `missing in Atlas: ${missing.join(', ')}`,
                  hint: "the bridge writes datasets as Atlas's own types, which ship with Atlas's models (models/1000-Hadoop, 3000-Cloud): " +
                    'an Atlas started without them rejects every write naming such a dataset (it then goes to the DLQ); restore the models and restart Atlas',
                },
          );
        } catch (error) {
          add({ name: 'dataset types present', status: 'fail', detail: messageOf(error), hint: atlasHint(error, url) });
        }
      }
    }
  }

  // 6. Queues
  if (config === undefined) {
    skip('queues reachable', 'configuration');
  } else {
    const queue = deps.queueFor(config);
    if (queue === undefined) {
      add({
        name: 'queues reachable',
        status: 'fail',
        detail: 'RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL are not set: an Atlas failure is answered 503/502 and the sender must keep the events',
        hint: 'set both to the queues serverless.yml creates (`serverless info --verbose` lists them), or run `npm start` for the local ones',
      });
    } else {
      try {
        const retry = await queue.depth('retry');
        const dead = await queue.depth('deadLetter');
        const deadCount = dead.visible + dead.inFlight + dead.delayed;
        add({
          name: 'queues reachable',
          status: 'pass',
          detail: `retry queue: ${retry.visible} waiting, ${retry.inFlight} in flight, ${retry.delayed} delayed; ` +
            `dead-letter queue: ${deadCount}${deadCount > 0 ? ' (see `flink-atlas dlq list`)' : ''}`,
        });
      } catch (error) {
        add({
          name: 'queues reachable',
          status: 'fail',
          detail: `GetQueueAttributes failed: ${messageOf(error)}`,
          hint: 'check the queue URLs, AWS_REGION and the AWS credentials (sqs:GetQueueAttributes), or AWS_ENDPOINT_URL_SQS for a local SQS',
        });
      }
    }
  }

  // 7. Who may post
  const auth = checkBridgeAuth(deps.env);
  add(auth.ok
    ? { name: 'signing or API key', status: 'pass', detail: auth.detail }
    : { name: 'signing or API key', status: 'fail', detail: auth.detail, ...(auth.hint === undefined ? {} : { hint: auth.hint }) });

  const failed = lines.filter((l) => l.status === 'fail').length;
  const width = Math.max(...lines.map((l) => l.name.length));
  const text = lines.flatMap((l) => [
    `  ${l.status.toUpperCase().padEnd(4)}  ${l.name.padEnd(width)}  ${l.detail}`,
    ...(l.hint === undefined ? [] : [`        ${' '.repeat(width)}  hint: ${l.hint}`]),
  ]);
  const summary = failed === 0 ? `All ${lines.length} checks passed.` : `${plural(failed, 'check')} failed.`;
  return result(failed === 0 ? 0 : 1, `flink-atlas doctor\n${text.join('\n')}\n\n${summary}\n`);
};
