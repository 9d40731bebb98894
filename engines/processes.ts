// Child processes the engine layer starts (Xvfb, MiniBrowser and WebKitWebDriver) or that
// Playwright starts for it (the browser). Each is recorded with its identity, so that a run that
// crashed or was killed leaves nothing that breaks the next one: the next run of the same user
// ends what an earlier run recorded and nothing else.
//
// An identity is a pid and its start time (field 22 of /proc/<pid>/stat): a pid that was reused
// by another process since has another start time, and is left alone. Records live in a folder of
// this user's, mode 0700, that nobody else can write: a planted record cannot name a victim.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A process as this module knows it: pid and start time, in clock ticks since boot. */
interface Identity {
  pid: number;
  start: number;
}

/** One record: a process a run started (child), and the run's own process (owner). */
interface ProcessRecord {
  owner: Identity;
  child: Identity;
  command: string;
}

const uid = process.getuid?.() ?? 0;

/** The records' folder: this user's alone. Null (and nothing is reaped) when it cannot be made
 *  private, e.g. someone else planted it first. */
function recordsDir(): string | null {
  const dir = join(tmpdir(), `cors-conformance-${uid}`, 'processes');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const d of [join(dir, '..'), dir]) {
      const st = lstatSync(d);
      if (!st.isDirectory() || st.isSymbolicLink() || st.uid !== uid || (st.mode & 0o077) !== 0) return null;
    }
    return dir;
  } catch {
    return null;
  }
}

/** The start time of `pid` if it runs under this user, else null. */
function identityOf(pid: number): Identity | null {
  try {
    if (lstatSync(`/proc/${pid}`).uid !== uid) return null;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? { pid, start } : null;
  } catch {
    return null;
  }
}

/** Whether the very process of `id` (same pid, same start time) still runs. */
function isRunning(id: Identity): boolean {
  const now = identityOf(id.pid);
  return now !== null && now.start === id.start;
}

function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function parseRecord(text: string): ProcessRecord | null {
  try {
    const r = JSON.parse(text) as Partial<ProcessRecord>;
    const ok = (i: Partial<Identity> | undefined): i is Identity => Number.isInteger(i?.pid) && Number.isInteger(i?.start);
    return ok(r.owner) && ok(r.child) ? { owner: r.owner, child: r.child, command: String(r.command ?? '') } : null;
  } catch {
    return null;
  }
}

/** Ends what earlier runs of this user recorded and left running when they died: a record whose
 *  owner is gone, and whose child is still the very process it recorded. Returns how many. */
export function reapStale(): number {
  const dir = recordsDir();
  if (!dir) return 0;
  let reaped = 0;
  for (const f of readdirSync(dir)) {
    const file = join(dir, f);
    const record = parseRecord(readFileSync(file, 'utf8'));
    if (record && isRunning(record.owner)) continue;
    if (record && isRunning(record.child)) {
      killGroup(record.child.pid);
      reaped++;
    }
    rmSync(file, { force: true });
  }
  return reaped;
}

const self = identityOf(process.pid);

/** Records a process this run started (or Playwright started for it); returns a function that
 *  forgets it once it has ended normally. */
function record(pid: number, command: string): () => void {
  const dir = recordsDir();
  const child = identityOf(pid);
  if (!dir || !self || !child) return () => {};
  const file = join(dir, `${process.pid}-${pid}.json`);
  writeFileSync(file, JSON.stringify({ owner: self, child, command } satisfies ProcessRecord), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/** The pids of this process's own children now. */
function childPids(): Set<number> {
  const out = new Set<number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) out.add(Number(e));
    } catch {
      /* gone, or not readable */
    }
  }
  return out;
}

/** Records, while `launching` runs, every child this process starts that was not there in
 *  `before` (the browser Playwright launches, found within 50 ms of its start, so a run killed
 *  mid-launch leaves nothing unrecorded), so that a later run ends them if this one dies
 *  without closing them. Returns a function that forgets them, for when the browser closed. */
export async function recordChildrenWhile<T>(launching: Promise<T>, label: string): Promise<{ value: T; forget: () => void }> {
  const before = childPids();
  const forgets = new Map<number, () => void>();
  const poll = () => {
    for (const pid of childPids()) if (!before.has(pid) && !forgets.has(pid)) forgets.set(pid, record(pid, label));
  };
  const timer = setInterval(poll, 50);
  poll();
  try {
    const value = await launching;
    poll();
    return {
      value,
      forget: () => {
        for (const f of forgets.values()) f();
      },
    };
  } finally {
    clearInterval(timer);
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) if (child.pid) killGroup(child.pid);
  });
}

export interface Managed {
  child: ChildProcess;
  pid: number;
  /** stderr and stdout so far, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export function spawnManaged(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, extraFds = 0): Managed {
  installExitHook();
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe'];
  for (let i = 0; i < extraFds; i++) stdio.push('pipe');
  const child = spawn(command, args, { env, detached: true, stdio });
  if (!child.pid) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const forget = record(pid, `${command} ${args.join(' ')}`);
  live.add(child);
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    live.delete(child);
    forget();
  });
  return {
    child,
    pid,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
