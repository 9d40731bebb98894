// The command line, run as a user runs it: a child process, its exit code and its output.
import { spawn } from 'node:child_process';
import { childOutput } from '../child-output.ts';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const CLI = ['node', 'bin/cors-conformance.mjs'];

export function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(args[0] as string, args.slice(1), { env: { ...process.env, ...env, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    void childOutput(child).then(({ code, stdout, stderr }) => resolve({ code, stdout, stderr }));
  });
}
