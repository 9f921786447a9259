// flink-atlas: the operator CLI. Commander wiring only: each command is a function in cli/commands/ that returns its
// output and exit code (0 success, 1 a check or a request failed, 2 a usage error).
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AtlasClient } from '../lib/atlas/index.js';
import { BODY_KINDS, type BodyKind } from '../lib/contract/bodyKind.js';
import { API_KEY_VARIABLE, BRIDGE_SECRETS_VARIABLE, SECRET_VARIABLE, senderAuthFromEnv, signingKey, type SenderAuth } from './auth.js';
import { runDoctor } from './commands/doctor.js';
import { dlqList, dlqRedrive, dlqShow, queueFailure } from './commands/dlq.js';
import { registerTypesCommand } from './commands/registerTypes.js';
import { DEFAULT_SEND_RETRIES, sendBody } from './commands/send.js';
import { signBody } from './commands/sign.js';
import { ConfigError, configFromEnv, namingFromEnv, queueFromConfig, type Env } from './env.js';
import { startProgress } from './progress.js';
import { result, usage, type CommandResult, type ExitCode } from './result.js';

export interface CliIo {
  env: Env;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The file's text; `-` is standard input. */
  readInput(path: string): Promise<string>;
  /** Draw progress bars (stderr is a terminal). */
  progress: boolean;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
};

const kindOption = () =>
  new Option('--kind <kind>', 'the kind of body, instead of detecting it').choices(BODY_KINDS as string[]);

const readOrUsage = async (io: CliIo, path: string, command: string): Promise<string | CommandResult> => {
  try {
    return await io.readInput(path);
  } catch (error) {
    return usage(`cannot read ${path === '-' ? 'standard input' : path}: ${(error as Error).message}`, command);
  }
};

const configOrUsage = (io: CliIo, command: string, overrides: Env = {}) => {
  try {
    return configFromEnv({ ...io.env, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return usage(`${error.message} (set them in the environment, or run \`npm start\` for the local stack; \`flink-atlas doctor\` checks)`, command);
  }
};

const isResult = (value: unknown): value is CommandResult =>
  typeof value === 'object' && value !== null && 'exitCode' in value && 'stdout' in value;

export const buildProgram = (io: CliIo, done: (outcome: CommandResult) => void): Command => {
  const program = new Command('flink-atlas')
    .description('Operator tools for flink-atlas-bridge: what an event becomes in Atlas, whether the setup works, signed requests, and the dead-letter queue.\n' +
      'Settings come from the environment (ATLAS_URL, ATLAS_USER, ATLAS_PASSWORD, RETRY_QUEUE_URL, ...), over .local/stack.env written by `npm start`.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText('after', '\nExit codes: 0 success, 1 a check or a request failed, 2 a usage error.');

  program
    .command('map')
    .description('print the Atlas entities an event or array of events would produce, writing nothing; native, OpenLineage and Flink REST bodies are detected')
    .argument('<file>', 'JSON file, or - for standard input')
    .option('--json', 'print the raw POST /v2/entity/bulk request instead')
    .addOption(kindOption())
    .option('--cluster <name>', 'the ?cluster= of POST /flink/jobs, for Flink REST bodies')
    .option('--namespace <name>', 'the Atlas namespace (default ATLAS_NAMESPACE, else primary)')
    .action(async (file: string, flags: { json?: boolean; kind?: BodyKind; cluster?: string; namespace?: string }) => {
      let naming;
      try {
        naming = namingFromEnv({ ...io.env, ...(flags.namespace === undefined ? {} : { ATLAS_NAMESPACE: flags.namespace }) });
      } catch (error) {
        return done(usage((error as Error).message, 'map'));
      }
      const text = await readOrUsage(io, file, 'map');
      if (isResult(text)) return done(text);
      // Imported here: it brings the ingest path, whose telemetry reads its settings when loaded (atlas-requests
      // sets them for the handlers it runs in this process).
      const { mapBody } = await import('./commands/map.js');
      done(await mapBody(text, {
        naming,
        source: file === '-' ? 'standard input' : file,
        ...(flags.json === undefined ? {} : { json: flags.json }),
        ...(flags.kind === undefined ? {} : { kind: flags.kind }),
        ...(flags.cluster === undefined ? {} : { cluster: flags.cluster }),
      }));
    });

  program
    .command('doctor')
    .description('check, in order: configuration, Atlas reachable, credentials, the bridge\'s types, the dataset types, the queues, signing or API key')
    .action(async () => {
      done(await runDoctor({
        env: io.env,
        loadConfig: configFromEnv,
        atlasFor: (config) => new AtlasClient(config.atlas),
        queueFor: (config) => queueFromConfig(config, io.env),
      }));
    });

  program
    .command('send')
    .description(`post events to a bridge and show the answers; signed (Standard Webhooks) with ${SECRET_VARIABLE} (else the first of ${BRIDGE_SECRETS_VARIABLE}), else with ${API_KEY_VARIABLE} as a Bearer key, when set`)
    .argument('<file>', 'JSON file, or - for standard input')
    .option('--url <url>', 'the bridge\'s base URL (default BRIDGE_URL, which `npm start` writes)')
    .addOption(kindOption())
    .option('--cluster <name>', 'the ?cluster= of POST /flink/jobs, for Flink REST bodies')
    .option('--batch-size <n>', 'events per request for a native array (at most 500)', positiveInt)
    .option('--secret <whsec_secret>', `signing secret (default ${SECRET_VARIABLE})`)
    .option('--api-key <key>', `API key (default ${API_KEY_VARIABLE})`)
    .option('--unsigned', 'send without signature or key even when one is configured')
    .option('--retries <n>', `times a request answered 503 or 429, or not answered, is sent again (default ${DEFAULT_SEND_RETRIES}; 0 never)`, nonNegativeInt)
    .option('--max-retry-wait <seconds>', 'longest wait before a retry, whatever Retry-After says (default 60)', positiveInt)
    .action(async (file: string, flags: { url?: string; kind?: BodyKind; cluster?: string; batchSize?: number; secret?: string; apiKey?: string; unsigned?: boolean; retries?: number; maxRetryWait?: number }) => {
      const baseUrl = flags.url ?? io.env.BRIDGE_URL;
      if (baseUrl === undefined || baseUrl === '') return done(usage('no bridge URL: pass --url or set BRIDGE_URL (`npm start` writes it to .local/stack.env)', 'send'));
      let auth: SenderAuth = senderAuthFromEnv({
        ...io.env,
        ...(flags.secret === undefined ? {} : { [SECRET_VARIABLE]: flags.secret }),
        ...(flags.apiKey === undefined ? {} : { [API_KEY_VARIABLE]: flags.apiKey, [SECRET_VARIABLE]: flags.secret ?? '', [BRIDGE_SECRETS_VARIABLE]: '' }),
      });
      if (flags.unsigned === true) auth = { mode: 'none', description: 'unsigned' };
      if (auth.mode === 'signing') {
        try {
          signingKey(auth.secret);
        } catch (error) {
          return done(usage((error as Error).message, 'send'));
        }
      }
      const text = await readOrUsage(io, file, 'send');
      if (isResult(text)) return done(text);
      const progress = startProgress(io, 'sending');
      try {
        done(await sendBody(text, {
          baseUrl,
          auth,
          onProgress: progress.update,
          onRetry: (notice) => io.stderr(`retry: ${notice}\n`),
          ...(flags.retries === undefined ? {} : { retries: flags.retries }),
          ...(flags.maxRetryWait === undefined ? {} : { maxRetryWaitMs: flags.maxRetryWait * 1000 }),
          ...(flags.kind === undefined ? {} : { kind: flags.kind }),
          ...(flags.cluster === undefined ? {} : { cluster: flags.cluster }),
          ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
        }));
      } finally {
        progress.stop();
      }
    });

  program
    .command('sign')
    .description(`print the curl line that posts a body signed as a Standard Webhooks sender signs it (valid 5 minutes); the secret is --secret, else ${SECRET_VARIABLE}, else the first of ${BRIDGE_SECRETS_VARIABLE}`)
    .argument('[file]', 'JSON file, or - for standard input', '-')
    .option('--url <url>', 'where to post it (default BRIDGE_URL/flink/events, else http://127.0.0.1:3000/flink/events)')
    .option('--secret <whsec_secret>', `signing secret (default ${SECRET_VARIABLE}; keeps it out of shell history)`)
    .option('--id <id>', 'the webhook-id (default msg_ and a random UUID)')
    .option('--timestamp <unix seconds>', 'the webhook-timestamp (default now)', nonNegativeInt)
    .action(async (file: string, flags: { url?: string; secret?: string; id?: string; timestamp?: number }) => {
      const auth = senderAuthFromEnv({ ...io.env, ...(flags.secret === undefined ? {} : { [SECRET_VARIABLE]: flags.secret }) });
      if (auth.mode !== 'signing') return done(usage(`no secret: pass --secret whsec_... or set ${SECRET_VARIABLE}`, 'sign'));
      const bridgeUrl = io.env.BRIDGE_URL === undefined || io.env.BRIDGE_URL === '' ? 'http://127.0.0.1:3000' : io.env.BRIDGE_URL.replace(/\/+$/, '');
      const text = await readOrUsage(io, file, 'sign');
      if (isResult(text)) return done(text);
      done(signBody(text, {
        url: flags.url ?? `${bridgeUrl}/flink/events`,
        secret: auth.secret,
        ...(flags.id === undefined ? {} : { id: flags.id }),
        ...(flags.timestamp === undefined ? {} : { timestampSeconds: flags.timestamp }),
      }));
    });

  const dlq = program.command('dlq').description('the dead-letter queue: list, show, redrive');
  const queueOrUsage = (command: string) => {
    const config = configOrUsage(io, command);
    if (isResult(config)) return config;
    return queueFromConfig(config, io.env) ?? usage('RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL are not set (or run `npm start`, which writes .local/stack.env)', command);
  };
  dlq
    .command('list')
    .description('event id, job, status, error code, first failure, receive count and error of each dead letter')
    .option('--max <n>', 'at most this many messages', positiveInt, 1000)
    .option('--json', 'print JSON')
    .action(async (flags: { max: number; json?: boolean }) => {
      const queue = queueOrUsage('dlq list');
      done(isResult(queue) ? queue : await dlqList(queue, { max: flags.max, json: flags.json ?? false }).catch((error: unknown) => queueFailure('dlq list', error)));
    });
  dlq
    .command('show')
    .description('one dead letter, by message id or event id: its reason and its events')
    .argument('<id>', 'message id or event id')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const queue = queueOrUsage('dlq show');
      done(isResult(queue) ? queue : await dlqShow(queue, id, { json: flags.json ?? false }).catch((error: unknown) => queueFailure('dlq show', error)));
    });
  dlq
    .command('redrive')
    .description('move dead letters back to the retry queue once the cause is fixed (send, then delete: never lost)')
    .option('--dry-run', 'only show what would move')
    .option('--max <n>', 'at most this many messages', positiveInt, 1000)
    .option('--filter <key=value>', 'jobName=, jobId=, errorCode= or eventId= (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .action(async (flags: { dryRun?: boolean; max: number; filter: string[] }) => {
      const queue = queueOrUsage('dlq redrive');
      if (isResult(queue)) return done(queue);
      const progress = startProgress(io, 'redriving');
      try {
        done(await dlqRedrive(queue, { dryRun: flags.dryRun ?? false, max: flags.max, filters: flags.filter, onProgress: progress.update })
          .catch((error: unknown) => queueFailure('dlq redrive', error)));
      } finally {
        progress.stop();
      }
    });

  program
    .command('register-types')
    .description('register the bridge\'s Atlas types (idempotent: creates what is missing, adds missing optional attributes, reports conflicts)')
    .option('--atlas-url <url>', 'default ATLAS_URL')
    .option('--user <name>', 'default ATLAS_USER')
    .option('--password <password>', 'default ATLAS_PASSWORD')
    .action(async (flags: { atlasUrl?: string; user?: string; password?: string }) => {
      // Creating typedefs can take a real Atlas longer than a write: 30 s unless ATLAS_TIMEOUT_MS says otherwise.
      const config = configOrUsage(io, 'register-types', {
        ATLAS_URL: flags.atlasUrl, ATLAS_USER: flags.user, ATLAS_PASSWORD: flags.password, ATLAS_TIMEOUT_MS: io.env.ATLAS_TIMEOUT_MS ?? '30000',
      });
      if (isResult(config)) return done(config);
      done(await registerTypesCommand(new AtlasClient(config.atlas), config.atlas.baseUrl));
    });

  program
    .command('atlas-requests')
    .description('record what the bridge sends to Atlas for every sample, fixture, schema example and a slice of the fault workload, against the emulator (the atlas-check module\'s input; docs/atlas-check.md)')
    .option('--out <dir>', 'output directory, emptied first (default atlas-check/target/atlas-requests)')
    .option('--fault-events <n>', 'events of the fault test\'s workload to post (default 1000)', nonNegativeInt)
    .action(async (flags: { out?: string; faultEvents?: number }) => {
      // Imported here: it brings the emulator and the handlers, and sets this process's environment for them.
      const { recordAtlasRequests } = await import('./commands/atlasRequests.js');
      try {
        done(await recordAtlasRequests({
          ...(flags.out === undefined ? {} : { out: flags.out }),
          ...(flags.faultEvents === undefined ? {} : { faultEvents: flags.faultEvents }),
        }));
      } catch (error) {
        done(result(1, '', `atlas-requests failed: ${error instanceof Error ? error.message : String(error)}\n`));
      }
    });

  return program;
};

/** Runs the CLI on `argv` (without node and the script), writes its output through `io`, returns the exit code. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  let outcome: CommandResult | undefined;
  const program = buildProgram(io, (r) => {
    outcome = r;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  if (outcome === undefined) {
    // A command group without a subcommand (`flink-atlas dlq`): commander printed its help.
    outcome = result(2, '', '');
  }
  if (outcome.stdout !== '') io.stdout(outcome.stdout);
  if (outcome.stderr !== '') io.stderr(outcome.stderr);
  return outcome.exitCode;
};

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** The process's own io: the environment over .local/stack.env, stdout/stderr, files and stdin. */
export const processIo = (env: Env): CliIo => ({
  env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readInput: (path) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
  progress: process.stderr.isTTY === true,
});
