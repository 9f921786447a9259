import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config/index.js';
import { routeAuthPolicy } from '../../../lib/security/routeAuth.js';

const BASE = { ATLAS_URL: 'http://atlas:21000', ATLAS_USER: 'admin', ATLAS_PASSWORD: 'pw' };

describe('routeAuthPolicy', () => {
  it('gives the configured policy of a route whose secrets are set', () => {
    const config = loadConfig({ ...BASE, AUTH_FLINK_EVENTS: 'signature,api-key', WEBHOOK_SECRETS: 'whsec_x', API_KEYS: 'k', AUTH_FLINK_JOBS: 'none' });
    expect(routeAuthPolicy(config, 'flinkEvents')).toEqual({ kind: 'required', modes: ['signature', 'api-key'] });
    expect(routeAuthPolicy(config, 'flinkJobs')).toEqual({ kind: 'none' });
  });

  it('refuses a route with no policy, naming its variable', () => {
    const config = loadConfig({ ...BASE, AUTH_FLINK_EVENTS: 'none' });
    expect(() => routeAuthPolicy(config, 'openLineage')).toThrow(ConfigError);
    expect(() => routeAuthPolicy(config, 'openLineage')).toThrow(/^AUTH_OPENLINEAGE is not set/);
  });

  it('refuses a policy whose secrets are missing', () => {
    const signed = loadConfig({ ...BASE, AUTH_OPENLINEAGE: 'signature', API_KEYS: 'k' });
    expect(() => routeAuthPolicy(signed, 'openLineage')).toThrow('AUTH_OPENLINEAGE takes signed webhooks but neither WEBHOOK_SECRETS_PARAM nor WEBHOOK_SECRETS is set');
    const keyed = loadConfig({ ...BASE, AUTH_FLINK_JOBS: 'api-key', WEBHOOK_SECRETS: 'whsec_x' });
    expect(() => routeAuthPolicy(keyed, 'flinkJobs')).toThrow('AUTH_FLINK_JOBS takes API keys but neither API_KEYS_PARAM nor API_KEYS is set');
  });
});
