// Every measured piece runs in a fresh Node process of its own (TypeScript through tsx), so that sections do
// not share JIT state, heap or event loop, and a process's RSS is its own. Output goes to bench/out/logs.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));
export const OUT_DIR = join(BENCH_DIR, 'out');
export const PROFILE_DIR = join(OUT_DIR, 'profiles');
export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));

const built = new Map<string, Promise<string>>();

/**
 * Children that run the bridge's code are bundled by esbuild as the functions are (ESM, node20, AWS SDK
 * left external, the same createRequire banner), not run through tsx: the code measured is the code deployed,
 * without a loader in the way. Not minified, so that CPU profiles name functions and lines.
 */
const bundle = (script: string): Promise<string> => {
  const cached = built.get(script);
  if (cached !== undefined) return cached;
  const outfile = join(OUT_DIR, 'build', script.replace(/\.ts$/, '.mjs'));
  const promise = build({
    entryPoints: [join(BENCH_DIR, 'children', script)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    external: ['@aws-sdk/*', 'esbuild'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  }).then(() => outfile);
  built.set(script, promise);
  return promise;
};

export interface ChildOptions {
  /** Run the TypeScript through tsx instead of bundling it (the emulator, which reads files beside its sources). */
  tsx?: boolean;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --expose-gc. */
  nodeArgs?: string[];
  /** Write a V8 CPU profile (node --cpu-prof) into bench/out/profiles. */
  profile?: boolean;
}

const spawnChild = async (script: string, options: ChildOptions & { payload?: unknown }): Promise<ChildProcess> => {
  mkdirSync(join(OUT_DIR, 'logs'), { recursive: true });
  const name = script.replace(/\.ts$/, '');
  const log = openSync(join(OUT_DIR, 'logs', `${name}.log`), 'a');
  if (options.profile) mkdirSync(PROFILE_DIR, { recursive: true });
  const entry = options.tsx ? join(BENCH_DIR, 'children', script) : await bundle(script);
  return fork(entry, [], {
    cwd: ROOT_DIR,
    execArgv: [
      ...(options.tsx ? ['--import', 'tsx'] : []),
      ...(options.nodeArgs ?? []),
      ...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []),
    ],
    env: { ...process.env, ...options.env, BENCH_OPTIONS: JSON.stringify(options.payload ?? {}) },
    stdio: ['ignore', log, log, 'ipc'],
  });
};

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** Runs a child that sends one `{ok, result | error}` message, then waits for it to exit. */
export const runChild = async <T>(script: string, payload: unknown, options: ChildOptions = {}): Promise<T> => {
  const child = await spawnChild(script, { ...options, payload });
  const message = await new Promise<{ ok: boolean; result?: T; error?: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { ok: boolean; result?: T; error?: string }));
    child.once('exit', (code) => reject(new Error(`bench/children/${script} exited with ${code} before answering (see bench/out/logs)`)));
  });
  child.disconnect();
  await exited(child);
  if (!message.ok) throw new Error(`bench/children/${script} failed: ${message.error}`);
  return message.result as T;
};

/** A long-lived child answering `{id, command, args}` requests with `{id, ok, result | error}`. */
export interface Service<Ready> {
  ready: Ready;
  pid: number;
  call<T>(command: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export const startService = async <Ready>(script: string, payload: unknown, options: ChildOptions = {}): Promise<Service<Ready>> => {
  const child = await spawnChild(script, { ...options, payload });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = await new Promise<Ready>((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      const message = m as { id?: number; ok: boolean; result?: unknown; error?: string };
      if (message.id === undefined) {
        if (message.ok) resolve(message.result as Ready);
        else reject(new Error(`bench/children/${script} failed to start: ${message.error}`));
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.result);
      else waiter?.reject(new Error(`bench/children/${script}: ${message.error}`));
    };
    child.on('message', onMessage);
    child.once('exit', (code) => {
      const error = new Error(`bench/children/${script} exited with ${code} (see bench/out/logs)`);
      reject(error);
      pending.forEach((p) => p.reject(error));
    });
  });
  return {
    ready,
    pid: child.pid ?? -1,
    call: <T>(command: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, command, args });
      }),
    stop: async () => {
      if (child.exitCode === null) {
        child.send({ id: 0, command: 'exit' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(timer);
      }
    },
  };
};

/** The child side of startService. */
export const serve = async <Ready>(
  start: () => Promise<Ready>,
  commands: Record<string, (args: any) => unknown>,
  onExit: () => Promise<void> = async () => undefined,
): Promise<void> => {
  try {
    const ready = await start();
    process.send?.({ ok: true, result: ready });
  } catch (error) {
    process.send?.({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    process.exit(1);
  }
  process.on('message', (m: { id: number; command: string; args?: unknown }) => {
    if (m.command === 'exit') {
      void onExit().finally(() => process.exit(0));
      return;
    }
    // Every service reports its CPU time, so a run can say which process was busy.
    const command = m.command === 'cpu' ? () => process.cpuUsage() : commands[m.command];
    Promise.resolve()
      .then(() => {
        if (command === undefined) throw new Error(`unknown command ${m.command}`);
        return command(m.args);
      })
      .then(
        (result) => process.send?.({ id: m.id, ok: true, result }),
        (error: unknown) => process.send?.({ id: m.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
      );
  });
};
