// Reads process.env once, validates it, and hands out a frozen config; nothing else reads the environment.
import type { AtlasClientOptions } from '../atlas/index.js';
import * as z from 'zod/mini';
import { addCustomIssue } from '../zod.js';
import type { NamingContext } from '../mapping/index.js';
import type { BackoffPolicy, QueueUrls } from '../queue/index.js';
import { ConfigError } from '../errors.js';
import { AUTH_VARIABLES, HTTP_ROUTES, parseAuthPolicy, type AuthPolicy, type HttpRoute } from '../security/authPolicy.js';
import type { SecretSource, SecretsConfig } from '../security/secrets.js';

export { ConfigError };
export type { SecretsConfig };

export interface QueueConfig {
  urls: QueueUrls;
  region: string;
  /** The worker dead-letters a message still failing on this delivery (keep below the queue's redrive maxReceiveCount). */
  maxReceiveCount: number;
  /** Delay before written events are checked for a concurrent overwrite; 0 turns the check off. */
  confirmDelaySeconds: number;
  backoff: BackoffPolicy;
}

export interface BridgeConfig {
  /** `password` is '' when it comes from ATLAS_PASSWORD_PARAM: lib/runtime's loadRuntime() resolves it. */
  atlas: AtlasClientOptions;
  secrets: SecretsConfig;
  /** Credentials each HTTP route takes (AUTH_FLINK_EVENTS, AUTH_OPENLINEAGE, AUTH_FLINK_JOBS); unset: the route refuses to serve. */
  auth: Partial<Record<HttpRoute, AuthPolicy>>;
  naming: NamingContext;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Absent when no retry queue is configured: Atlas failures are then answered 503/502. */
  queue?: QueueConfig;
  delivery: DeliveryConfig;
}

/**
 * How validated events reach Atlas (docs/fleet.md). `direct`: the webhook writes them and answers once they are
 * in Atlas. `fleet`: the webhook answers once they are in the retry queue, and the worker writes what it drains,
 * coalesced, with at most `maxConcurrency` Atlas calls in flight per invocation.
 */
export interface DeliveryConfig {
  mode: 'direct' | 'fleet';
  /** Fleet mode: a run's checkpoint-only updates are written at most once per this many seconds (0: every one). */
  checkpointIntervalSeconds: number;
  /** Fleet mode: Atlas calls in flight at once per worker invocation. */
  maxConcurrency: number;
}

const NamespaceMapSchema = z.record(z.string().check(z.minLength(1)), z.string().check(z.regex(/^[^@\s]+$/, 'an Atlas namespace holds no "@" or blanks')));

/** Classic zod's `z.preprocess`: a transform piped into the schema. */
const preprocess = <T extends z.core.$ZodType>(fn: (value: unknown) => unknown, schema: T) => z.pipe(z.transform(fn), schema);

/** serverless.yml passes `${env:X, ''}` for what a local run leaves unset: an empty value counts as unset. */
const emptyIsUnset = (v: unknown): unknown => (v === '' ? undefined : v);
const optionalText = preprocess(emptyIsUnset, z.optional(z.string()));
const parameterName = preprocess(
  emptyIsUnset,
  z.optional(z.string().check(z.regex(/^\/[\w.\/-]+$/, 'must be an SSM parameter name such as /flink-atlas-bridge/prod/atlas-password'))),
);
const authPolicy = preprocess(
  emptyIsUnset,
  z.optional(
    z.pipe(
      z.string(),
      z.transform((text: string, ctx) => {
        const policy = parseAuthPolicy(text);
        if (typeof policy === 'string') {
          addCustomIssue(ctx, policy);
          return z.NEVER;
        }
        return policy;
      }),
    ),
  ),
);

/** An integer environment variable: coerced from its text, within [min, max], `fallback` when unset. */
const intVariable = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);

const EnvSchema = z.object({
  ATLAS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://atlas:21000' }),
  ATLAS_USER: z.string().check(z.minLength(1, 'is required')),
  ATLAS_PASSWORD: optionalText,
  ATLAS_PASSWORD_PARAM: parameterName,
  WEBHOOK_SECRETS: optionalText,
  WEBHOOK_SECRETS_PARAM: parameterName,
  API_KEYS: optionalText,
  API_KEYS_PARAM: parameterName,
  SECRETS_TTL_SECONDS: intVariable(0, 86_400, 300),
  AUTH_FLINK_EVENTS: authPolicy,
  AUTH_OPENLINEAGE: authPolicy,
  AUTH_FLINK_JOBS: authPolicy,
  ATLAS_TIMEOUT_MS: intVariable(100, 120_000, 10_000),
  ATLAS_NAMESPACE: z._default(z.string().check(z.regex(/^[^@\s]+$/)), 'primary'),
  ATLAS_NAMESPACE_MAP: z.pipe(
    z.pipe(
      z._default(z.string(), '{}'),
      z.transform((text: string, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          addCustomIssue(ctx, 'must be a JSON object such as {"kafka://broker-a:9092":"kafka-prod"}');
          return z.NEVER;
        }
      }),
    ),
    NamespaceMapSchema,
  ),
  MAX_BODY_BYTES: intVariable(1024, 6 * 1024 * 1024, 1024 * 1024),
  RETRY_QUEUE_URL: z.optional(z.url()),
  DEAD_LETTER_QUEUE_URL: z.optional(z.url()),
  MAX_RECEIVE_COUNT: intVariable(1, 1000, 8),
  CONFIRM_DELAY_SECONDS: intVariable(0, 900, 60),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-west-1'),
  BACKOFF_BASE_SECONDS: intVariable(1, 900, 5),
  BACKOFF_MAX_SECONDS: intVariable(1, 43_200, 900),
  DELIVERY_MODE: z._default(z.enum(['direct', 'fleet'], 'must be direct or fleet'), 'direct'),
  CHECKPOINT_WRITE_INTERVAL_SECONDS: intVariable(0, 86_400, 300),
  ATLAS_MAX_CONCURRENCY: intVariable(1, 64, 4),
}).check(
  z.refine((e) => (e.RETRY_QUEUE_URL === undefined) === (e.DEAD_LETTER_QUEUE_URL === undefined), {
    message: 'set both or neither of RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL',
    path: ['RETRY_QUEUE_URL'],
  }),
  z.refine((e) => (e.ATLAS_PASSWORD === undefined) !== (e.ATLAS_PASSWORD_PARAM === undefined), {
    message: 'set one of ATLAS_PASSWORD (local runs) and ATLAS_PASSWORD_PARAM (an SSM parameter name), not both',
    path: ['ATLAS_PASSWORD'],
  }),
  z.refine((e) => e.WEBHOOK_SECRETS === undefined || e.WEBHOOK_SECRETS_PARAM === undefined, {
    message: 'set one of WEBHOOK_SECRETS and WEBHOOK_SECRETS_PARAM, not both',
    path: ['WEBHOOK_SECRETS'],
  }),
  z.refine((e) => e.API_KEYS === undefined || e.API_KEYS_PARAM === undefined, {
    message: 'set one of API_KEYS and API_KEYS_PARAM, not both',
    path: ['API_KEYS'],
  }),
  z.refine((e) => e.DELIVERY_MODE !== 'fleet' || e.RETRY_QUEUE_URL !== undefined, {
    message: 'fleet needs the retry queue: set RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL',
    path: ['DELIVERY_MODE'],
  }),
);

const secretSource = (value: string | undefined, parameter: string | undefined): SecretSource | undefined =>
  parameter !== undefined ? { from: 'ssm', name: parameter } : value !== undefined ? { from: 'env', value } : undefined;

const optionalEntry = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;


export const loadConfig = (env: Readonly<Record<string, string | undefined>> = process.env): BridgeConfig => {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable, never echo its value: it may be a password.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    atlas: { baseUrl: e.ATLAS_URL, user: e.ATLAS_USER, password: e.ATLAS_PASSWORD ?? '', timeoutMs: e.ATLAS_TIMEOUT_MS },
    secrets: {
      atlasPassword: secretSource(e.ATLAS_PASSWORD, e.ATLAS_PASSWORD_PARAM) ?? { from: 'env', value: '' },
      ...optionalEntry('webhookSecrets', secretSource(e.WEBHOOK_SECRETS, e.WEBHOOK_SECRETS_PARAM)),
      ...optionalEntry('apiKeys', secretSource(e.API_KEYS, e.API_KEYS_PARAM)),
      ttlSeconds: e.SECRETS_TTL_SECONDS,
    },
    auth: Object.fromEntries(
      HTTP_ROUTES.flatMap((route) => {
        const policy = e[AUTH_VARIABLES[route] as 'AUTH_FLINK_EVENTS' | 'AUTH_OPENLINEAGE' | 'AUTH_FLINK_JOBS'];
        return policy === undefined ? [] : [[route, policy]];
      }),
    ),
    naming: { atlasNamespace: e.ATLAS_NAMESPACE, namespaceOverrides: e.ATLAS_NAMESPACE_MAP },
    maxBodyBytes: e.MAX_BODY_BYTES,
    delivery: {
      mode: e.DELIVERY_MODE,
      checkpointIntervalSeconds: e.CHECKPOINT_WRITE_INTERVAL_SECONDS,
      maxConcurrency: e.ATLAS_MAX_CONCURRENCY,
    },
    ...(e.RETRY_QUEUE_URL !== undefined && e.DEAD_LETTER_QUEUE_URL !== undefined
      ? {
          queue: {
            urls: { retry: e.RETRY_QUEUE_URL, deadLetter: e.DEAD_LETTER_QUEUE_URL },
            region: e.AWS_REGION,
            maxReceiveCount: e.MAX_RECEIVE_COUNT,
            confirmDelaySeconds: e.CONFIRM_DELAY_SECONDS,
            backoff: { baseSeconds: e.BACKOFF_BASE_SECONDS, maxSeconds: e.BACKOFF_MAX_SECONDS },
          },
        }
      : {}),
  });
};
