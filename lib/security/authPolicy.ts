// Which credentials each HTTP route takes: configuration, one variable per route. There is no default: a
// route whose variable is unset refuses every request (500, with the reason logged) until it is set, and
// `none` must be said explicitly (the local stack does).
export const AUTH_MODES = ['signature', 'api-key'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** `none`, or the modes accepted (either one of them when several: `signature,api-key`). */
export type AuthPolicy = { kind: 'none' } | { kind: 'required'; modes: readonly AuthMode[] };

export const HTTP_ROUTES = ['flinkEvents', 'openLineage', 'flinkJobs'] as const;
export type HttpRoute = (typeof HTTP_ROUTES)[number];

export const AUTH_VARIABLES: Readonly<Record<HttpRoute, string>> = {
  flinkEvents: 'AUTH_FLINK_EVENTS',
  openLineage: 'AUTH_OPENLINEAGE',
  flinkJobs: 'AUTH_FLINK_JOBS',
};

/** Parses `signature`, `api-key`, `signature,api-key` or `none`; a string is the problem with the value. */
export const parseAuthPolicy = (value: string): AuthPolicy | string => {
  const words = value.split(/[\s,|]+/).map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
  if (words.length === 1 && words[0] === 'none') return { kind: 'none' };
  const unknown = words.filter((w) => !(AUTH_MODES as readonly string[]).includes(w));
  if (words.length === 0 || unknown.length > 0) {
    return `must be signature, api-key, signature,api-key or none (got ${words.length === 0 ? 'nothing' : `"${unknown.join(',') || value}"`})`;
  }
  return { kind: 'required', modes: [...new Set(words as AuthMode[])] };
};

export const describePolicy = (policy: AuthPolicy): string => (policy.kind === 'none' ? 'none' : policy.modes.join(','));
