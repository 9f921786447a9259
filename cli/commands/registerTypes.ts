// flink-atlas register-types: the bridge's typedefs into Atlas (idempotent), as `npm start` and the registerTypes function do.
import { AtlasError, registerTypes, type AtlasClient } from '../../lib/atlas/index.js';
import { formatTypeReport } from '../../local/typeReport.js';
import { result, type CommandResult } from '../result.js';

export const registerTypesCommand = async (client: AtlasClient, atlasUrl: string): Promise<CommandResult> => {
  try {
    const report = await registerTypes(client);
    const text = `Registered the bridge's types in Atlas at ${atlasUrl}:\n${formatTypeReport(report)}\n`;
    if (report.conflicts.length > 0) {
      return result(1, text, 'Atlas holds typedefs the bridge cannot update in place (see CONFLICTS); nothing was forced.\n');
    }
    return result(0, text);
  } catch (error) {
    if (!(error instanceof AtlasError)) throw error;
    const hint = error.kind === 'auth' ? ' (check ATLAS_USER / ATLAS_PASSWORD)'
      : error.details.networkCode !== undefined ? ' (is Atlas running there, and is ATLAS_URL right? `flink-atlas doctor` checks)' : '';
    return result(1, '', `register-types failed: ${error.message}${hint}\n`);
  }
};
