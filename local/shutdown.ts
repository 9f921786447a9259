// One shutdown for a local process: cleanups run once, newest first, then the process exits. Every later
// trigger (stdin's 'end' and 'close' both fire; SIGINT then SIGTERM) waits for that same shutdown instead of
// exiting under it, which used to leave serverless offline running without a parent.
export interface Shutdown {
  /** Runs at shutdown, before the cleanups added earlier. */
  add(cleanup: () => Promise<void>): void;
  /** Starts the shutdown (or joins the one under way) and exits with the first caller's code. */
  stop(exitCode: number): Promise<never>;
  readonly stopping: boolean;
  /** How many cleanups are registered. */
  readonly size: number;
}

export const createShutdown = (log: (line: string) => void, exit: (code: number) => never = process.exit): Shutdown => {
  const cleanups: Array<() => Promise<void>> = [];
  let stopped: Promise<never> | undefined;
  return {
    add: (cleanup) => void cleanups.push(cleanup),
    stop: (exitCode) => {
      stopped ??= (async () => {
        for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(String(error)));
        return exit(exitCode);
      })();
      return stopped;
    },
    get stopping() {
      return stopped !== undefined;
    },
    get size() {
      return cleanups.length;
    },
  };
};
