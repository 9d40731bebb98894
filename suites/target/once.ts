// The Playwright gate runs in several processes: the runner, which lists the tests, and the
// workers, which a failing test replaces with fresh ones. What must be done once per run (the
// origin search's screen, the grade in each engine) is done by the first process that needs
// it and kept in a folder of this run, so every process sees the same probes and the same
// grade, and no failure grades the server again. Workers that start together wait for the
// one that took the work rather than doing it beside it.
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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

const codeOf = (err: unknown): unknown => (err instanceof Error && 'code' in err ? err.code : undefined);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Whether process `pid` still runs (a signal 0 reaches it, or it is another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return codeOf(err) === 'EPERM';
  }
}

/** The stored value, or undefined when none is stored yet. A file that cannot be read or
 *  parsed is an error: it is written whole, by a rename, so a half-written one is never seen. */
function stored<T>(file: string): { value: T } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return undefined;
    throw new Error(`the gate could not read ${file}, which another of its processes stored: ${message(err)}`);
  }
  try {
    return { value: JSON.parse(text) as T };
  } catch (err) {
    throw new Error(`the gate could not parse ${file}, which another of its processes stored: ${message(err)}`);
  }
}

/** The value stored under `name` for this run, or `make()`'s, stored for the others. One
 *  process makes it: it holds `<name>.lock` (created exclusively, holding its pid) while it
 *  does, and the others wait for the value. A holder that died without storing one leaves
 *  its lock to the next process, which makes the value itself; a `make()` that fails leaves
 *  nothing stored, so the next process tries again. */
export async function once<T>(name: string, make: () => Promise<T>): Promise<T> {
  const dir = runDir();
  const file = join(dir, `${name}.json`);
  const lock = join(dir, `${name}.lock`);
  for (;;) {
    const found = stored<T>(file);
    if (found) return found.value;
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if (codeOf(err) !== 'EEXIST') throw new Error(`the gate could not take ${lock}: ${message(err)}`);
      let holder: number;
      try {
        holder = Number(readFileSync(lock, 'utf8').trim());
      } catch (gone) {
        if (codeOf(gone) === 'ENOENT') continue;
        throw new Error(`the gate could not read ${lock}: ${message(gone)}`);
      }
      // An empty lock is one being written this moment; a dead holder's is taken over.
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) rmSync(lock, { force: true });
      else await sleep(100);
      continue;
    }
    try {
      const again = stored<T>(file);
      if (again) return again.value;
      const value = await make();
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify(value), { flag: 'wx', mode: 0o600 });
      renameSync(tmp, file);
      return value;
    } finally {
      rmSync(lock, { force: true });
    }
  }
}
