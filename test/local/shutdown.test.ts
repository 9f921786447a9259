import { describe, expect, it } from 'vitest';
import { createShutdown } from '../../local/shutdown.js';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const setup = () => {
  const steps: string[] = [];
  const exits: number[] = [];
  const shutdown = createShutdown((line) => steps.push(`log ${line}`), (code): never => {
    exits.push(code);
    throw new Exited(code);
  });
  return { steps, exits, shutdown };
};

describe('createShutdown', () => {
  it('runs the cleanups newest first, logs a failing one and goes on, then exits', async () => {
    const { steps, exits, shutdown } = setup();
    shutdown.add(async () => void steps.push('emulator'));
    shutdown.add(async () => {
      throw new Error('offline would not stop');
    });
    shutdown.add(async () => void steps.push('queue'));
    expect(shutdown.size).toBe(3);
    await expect(shutdown.stop(0)).rejects.toThrow(Exited);
    expect(steps).toEqual(['queue', 'log Error: offline would not stop', 'emulator']);
    expect(exits).toEqual([0]);
  });

  it('a second trigger waits for the cleanups under way instead of exiting under them', async () => {
    const { steps, exits, shutdown } = setup();
    let release = (): void => undefined;
    shutdown.add(() => new Promise<void>((resolve) => {
      release = () => {
        steps.push('offline stopped');
        resolve();
      };
    }));
    const first = shutdown.stop(0).catch((error: unknown) => error);
    const second = shutdown.stop(1).catch((error: unknown) => error);
    expect(shutdown.stopping).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([]);
    release();
    expect(await first).toBeInstanceOf(Exited);
    expect(await second).toBeInstanceOf(Exited);
    expect(steps).toEqual(['offline stopped']);
    expect(exits).toEqual([0]);
  });
});
