// A progress bar (cli-progress) on stderr for long operations: a redrive of many messages, the replay of a big file.
// Drawn only when stderr is a terminal and there is more than one step; otherwise silent.
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export const startProgress = (io: { progress: boolean }, label: string): Progress => {
  if (!io.progress) return { update: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  return {
    update(done, total) {
      if (bar === undefined) {
        if (total <= 1) return;
        bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% | {duration_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
};
