// Runs the Atlas emulator standalone:
//   npx tsx local/atlas-emulator/main.ts [--port 21000] [--typedefs file.json ...] [--user name:password ...]

import { startAtlasEmulator, type AtlasEmulatorOptions } from './index.js';

function parseArgs(args: string[]): AtlasEmulatorOptions {
  const options: AtlasEmulatorOptions = { port: 21000 };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    switch (args[i]) {
      case '--port':
        options.port = Number(value);
        i++;
        break;
      case '--typedefs':
        options.extraTypedefFiles = [...(options.extraTypedefFiles ?? []), String(value)];
        i++;
        break;
      case '--user': {
        const [user = '', password = ''] = String(value).split(':');
        options.users = { ...(options.users ?? {}), [user]: password };
        i++;
        break;
      }
      default:
        throw new Error(`unknown argument ${String(args[i])}`);
    }
  }
  return options;
}

const emulator = await startAtlasEmulator(parseArgs(process.argv.slice(2)));
console.log(`Atlas emulator listening on ${emulator.url} (API under ${emulator.url}/api/atlas)`);

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
