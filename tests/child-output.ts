// A child process's whole output. Its 'exit' event can come before the last bytes of its
// stdout and stderr have been read (on a busy machine a line printed just before exiting was
// lost this way), so the output is read until both pipes end; a grandchild that keeps a pipe
// open (a browser the child left) cannot hold the test: 2 s after the exit, what arrived is
// what the child wrote.
import type { ChildProcess } from 'node:child_process';

export interface ChildOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** When it exited (Date.now()), before its pipes were read to the end. */
  exitedAt: number;
}

const ended = (stream: NodeJS.ReadableStream | null) =>
  new Promise<void>((resolve) => {
    if (!stream) return resolve();
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });

/** Collects `child`'s stdout and stderr; resolves after it exits and both pipes have ended. */
export function childOutput(child: ChildProcess, onStderr?: (stderr: string) => void): Promise<ChildOutput> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
    onStderr?.(stderr);
  });
  const drained = Promise.all([ended(child.stdout), ended(child.stderr)]);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      const exitedAt = Date.now();
      const grace = new Promise<void>((r) => setTimeout(r, 2000).unref());
      void Promise.race([drained, grace]).then(() => resolve({ code, signal, stdout, stderr, exitedAt }));
    });
  });
}
