// Child processes the engine layer starts itself (Xvfb, MiniBrowser and WebKitWebDriver, or the browser a
// driver launches). Each runs in its own process group and is listed in a pid file, so a run that
// crashed or was killed leaves nothing that breaks the next one: the next run reaps them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PID_DIR = join(tmpdir(), 'cors-conformance', 'pids');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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

// Browsers Playwright launched for a run that was killed: their parent is gone (they were
// re-parented to init) and their profile folder names them. Chromium exits with its pipe;
// Firefox over BiDi listens on a socket and stays.
const ORPHAN_BROWSER = /--(?:profile|user-data-dir)[ =]\S*playwright_(?:firefox|chromium)dev_profile-/;

function reapOrphanBrowsers(): number {
  let reaped = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== 1) continue;
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (ORPHAN_BROWSER.test(cmd)) {
        process.kill(Number(e), 'SIGKILL');
        reaped++;
      }
    } catch {
      /* gone, or not ours to read */
    }
  }
  return reaped;
}

/** Kills what runs whose own process is gone left behind: our process groups, and orphaned browsers. */
export function reapStale(): number {
  let reaped = reapOrphanBrowsers();
  let files: string[] = [];
  try {
    files = readdirSync(PID_DIR);
  } catch {
    return 0;
  }
  for (const f of files) {
    const m = /^(\d+)-(\d+)$/.exec(f);
    if (!m) continue;
    const owner = Number(m[1]);
    const child = Number(m[2]);
    if (alive(owner)) continue;
    if (alive(child)) {
      killGroup(child);
      reaped++;
    }
    rmSync(join(PID_DIR, f), { force: true });
  }
  return reaped;
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
  mkdirSync(PID_DIR, { recursive: true });
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe'];
  for (let i = 0; i < extraFds; i++) stdio.push('pipe');
  const child = spawn(command, args, { env, detached: true, stdio });
  if (!child.pid) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const pidFile = join(PID_DIR, `${process.pid}-${pid}`);
  writeFileSync(pidFile, `${command} ${args.join(' ')}\n`);
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
    rmSync(pidFile, { force: true });
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
