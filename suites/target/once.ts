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

const isMissing = (err: unknown): boolean => err instanceof Error && 'code' in err && err.code === 'ENOENT';
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The value stored under `name` for this run, or `make()`'s, stored for the others. Only a
 *  missing file means "not made yet": a file that cannot be read or parsed is an error (it is
 *  written whole, by a rename, so a half-written one is never seen). */
export async function once<T>(name: string, make: () => Promise<T>): Promise<T> {
  const file = join(runDir(), `${name}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!isMissing(err)) throw new Error(`the gate could not read ${file}, which another of its processes stored: ${message(err)}`);
    const value = await make();
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
    return value;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`the gate could not parse ${file}, which another of its processes stored: ${message(err)}`);
  }
}
