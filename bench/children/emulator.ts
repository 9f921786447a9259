// The Atlas emulator in a process of its own (run through tsx: it reads Atlas's model files beside its
// sources), timing each answer (Server-Timing) so the bench can subtract Atlas's own time.
import { startAtlasEmulator, type AtlasEmulator } from '../../local/atlas-emulator/index.js';
import { serve } from '../lib/children.js';

let emulator: AtlasEmulator;

void serve(
  async () => {
    emulator = await startAtlasEmulator({ serverTiming: true });
    return { url: emulator.url };
  },
  {
    stats: () => ({ ...emulator.stats, byRoute: { ...emulator.stats.byRoute } }),
    resetStats: () => emulator.resetStats(),
    resetEntities: () => emulator.resetEntities(),
    entityCount: () => emulator.entities().filter((e) => e.status === 'ACTIVE').length,
  },
  () => emulator.close(),
);
