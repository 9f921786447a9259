// Reads process.env once, validates it, and hands out a frozen config; nothing else reads the environment.
import { z } from 'zod';
import type { AtlasClientOptions } from '../atlas/index.js';
import type { NamingContext } from '../mapping/index.js';
import type { BackoffPolicy, QueueUrls } from '../queue/index.js';

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
  atlas: AtlasClientOptions;
  naming: NamingContext;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Absent when no retry queue is configured: Atlas failures are then answered 503/502. */
  queue?: QueueConfig;
}

const NamespaceMapSchema = z.record(z.string().min(1), z.string().regex(/^[^@\s]+$/, 'an Atlas namespace holds no "@" or blanks'));

const EnvSchema = z.object({
  ATLAS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://atlas:21000' }),
  ATLAS_USER: z.string().min(1, 'is required'),
  ATLAS_PASSWORD: z.string().min(1, 'is required'),
  ATLAS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ATLAS_NAMESPACE: z.string().regex(/^[^@\s]+$/).default('primary'),
  ATLAS_NAMESPACE_MAP: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"kafka://broker-a:9092":"kafka-prod"}' });
        return z.NEVER;
      }
    })
    .pipe(NamespaceMapSchema),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(6 * 1024 * 1024).default(1024 * 1024),
  RETRY_QUEUE_URL: z.url().optional(),
  DEAD_LETTER_QUEUE_URL: z.url().optional(),
  MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000).default(8),
  CONFIRM_DELAY_SECONDS: z.coerce.number().int().min(0).max(900).default(60),
  AWS_REGION: z.string().min(1).default('eu-west-1'),
  BACKOFF_BASE_SECONDS: z.coerce.number().int().min(1).max(900).default(5),
  BACKOFF_MAX_SECONDS: z.coerce.number().int().min(1).max(43_200).default(900),
}).refine((e) => (e.RETRY_QUEUE_URL === undefined) === (e.DEAD_LETTER_QUEUE_URL === undefined), {
  message: 'set both or neither of RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL',
  path: ['RETRY_QUEUE_URL'],
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const loadConfig = (env: Readonly<Record<string, string | undefined>> = process.env): BridgeConfig => {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable, never echo its value: it may be a password.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    atlas: { baseUrl: e.ATLAS_URL, user: e.ATLAS_USER, password: e.ATLAS_PASSWORD, timeoutMs: e.ATLAS_TIMEOUT_MS },
    naming: { atlasNamespace: e.ATLAS_NAMESPACE, namespaceOverrides: e.ATLAS_NAMESPACE_MAP },
    maxBodyBytes: e.MAX_BODY_BYTES,
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
