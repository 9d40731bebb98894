// The Playwright gate runs in several processes: the runner, which lists the tests, and the
// workers, which a failing test replaces with fresh ones. What must be done once per run (the
// origin search's screen, the grade in each engine) is done by the first process that needs
// it and kept in a folder of this run, so every process sees the same probes and the same
// grade, and no failure grades the server again.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function runDir(): string {
  const run = process.env.CC_GATE_RUN;
  if (!run) throw new Error('CC_GATE_RUN is not set: run the gate through playwright.config.ts, which names the run');
  const dir = join(tmpdir(), `cors-conformance-gate-${run}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The value stored under `name` for this run, or `make()`'s, stored for the others. */
export async function once<T>(name: string, make: () => Promise<T>): Promise<T> {
  const file = join(runDir(), `${name}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    const value = await make();
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
    return value;
  }
}
