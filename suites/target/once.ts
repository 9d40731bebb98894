// The Playwright gate runs in several processes: the runner, which lists the tests, and the
// workers, which a failing test replaces with fresh ones. What must be done once per run (the
// origin search's screen, the grade in each engine) is done by the first process that needs
// it and kept in a folder of this run, so every process sees the same probes and the same
// grade, and no failure grades the server again.
import { lstatSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The run's folder, made by playwright.config.ts with mkdtemp (mode 0700, a name nobody can
 *  guess) and removed when the run ends. It is checked before it is trusted: a folder that is
 *  not this user's alone could hold a forged grade. */
function runDir(): string {
  const dir = process.env.CC_GATE_DIR;
  if (!dir) throw new Error('CC_GATE_DIR is not set: run the gate through playwright.config.ts, which makes the run its own folder');
  const st = lstatSync(dir);
  const uid = process.getuid?.() ?? st.uid;
  if (!st.isDirectory() || st.isSymbolicLink() || st.uid !== uid || (st.mode & 0o077) !== 0)
    throw new Error(`the gate's run folder ${dir} is not a private folder of this user's (mode 0700); it is not trusted`);
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
    writeFileSync(tmp, JSON.stringify(value), { flag: 'wx', mode: 0o600 });
    renameSync(tmp, file);
    return value;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`the gate could not parse ${file}, which another of its processes stored: ${message(err)}`);
  }
}
