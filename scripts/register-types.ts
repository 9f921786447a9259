// npm run register-types -- --atlas-url http://atlas:21000 [--user u --password p]
// Registers the bridge's Atlas types (idempotent) and prints what it did. Exits 1 on conflicts or Atlas errors.
// Defaults: ATLAS_URL (else http://localhost:21000), ATLAS_USER / ATLAS_PASSWORD (else admin/admin), ATLAS_TIMEOUT_MS.
import { AtlasClient, AtlasError, registerTypes } from '../lib/atlas/index.js';
import { ConfigError, loadConfig } from '../lib/config/index.js';
import { formatTypeReport } from '../local/typeReport.js';
import { parseFlags } from './flags.js';

const USAGE = 'usage: npm run register-types -- --atlas-url http://atlas:21000 [--user admin --password admin]';

const main = async (): Promise<number> => {
  const read = parseFlags({
    'atlas-url': { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
  }, USAGE);
  if ('exitCode' in read) return read.exitCode;
  const { flags } = read;
  const env = process.env;
  const config = loadConfig({
    ...env,
    ATLAS_URL: flags['atlas-url'] ?? env.ATLAS_URL ?? 'http://localhost:21000',
    ATLAS_USER: flags.user ?? env.ATLAS_USER ?? 'admin',
    ATLAS_PASSWORD: flags.password ?? env.ATLAS_PASSWORD ?? 'admin',
    ATLAS_TIMEOUT_MS: env.ATLAS_TIMEOUT_MS ?? '30000',
  });
  console.log(`Registering the bridge's types in Atlas at ${config.atlas.baseUrl} as ${config.atlas.user}...`);
  const report = await registerTypes(new AtlasClient(config.atlas));
  console.log(formatTypeReport(report));
  if (report.conflicts.length > 0) {
    console.error('Atlas holds typedefs the bridge cannot update in place (see CONFLICTS); nothing was forced.');
    return 1;
  }
  return 0;
};

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof AtlasError) {
    const hint = error.details.networkCode === undefined ? '' : ' - is Atlas running there, and is --atlas-url right?';
    console.error(`register-types failed: ${error.message}${hint}`);
  } else if (error instanceof ConfigError) {
    console.error(`register-types failed: ${error.message}\n${USAGE}`);
  } else {
    console.error('register-types failed:', error);
  }
  process.exitCode = 1;
}
