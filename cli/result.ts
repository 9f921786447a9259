// Every command is a function that returns what it prints and its exit code; main.ts only wires commander to them.

/** 0 success, 1 a check or a request failed, 2 a usage error (bad flag, missing file or configuration). */
export type ExitCode = 0 | 1 | 2;

export interface CommandResult {
  /** What goes to stdout: the command's answer (pure JSON with --json). */
  stdout: string;
  /** Problems, notes and hints that must not mix with a piped answer. */
  stderr: string;
  exitCode: ExitCode;
}

export const result = (exitCode: ExitCode, stdout: string, stderr = ''): CommandResult => ({ stdout, stderr, exitCode });

/** A usage error: the message and a pointer to the help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usage = (message: string, command = ''): CommandResult =>
  result(2, '', `error: ${message}\n(see flink-atlas ${command ? `${command} ` : ''}--help)\n`);
