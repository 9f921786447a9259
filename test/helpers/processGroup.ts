// Child processes started `detached` lead their own process group; killing the group ends what they started
// (serverless offline, the emulator) even when the leader has already exited and left those behind.
import type { ChildProcess } from 'node:child_process';

export const killProcessGroup = (child: ChildProcess): void => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (error) {
    // ESRCH: the group is already gone.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

/** True while any process of the group led by `pid` still runs (signal 0 only checks). */
export const processGroupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
};
