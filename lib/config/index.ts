// Reads process.env once, validates it, and hands out a frozen config; nothing else reads the environment.
import { z } from 'zod';
import type { AtlasClientOptions } from '../atlas/index.js';
import type { NamingContext } from '../mapping/index.js';

export interface BridgeConfig {
  atlas: AtlasClientOptions;
  naming: NamingContext;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
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
  });
};
