// The reaper ends only what an earlier run of this user recorded, checked by identity (pid and
// start time), from a folder nobody else can write; a file planted in the old shared folder, a
// record whose pid now belongs to another process, or a folder open to others kill nothing.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapStale } from '../../engines/processes.ts';

const realTmp = tmpdir();
let tmp: string;
test.beforeEach(() => {
  tmp = mkdtempSync(join(realTmp, 'cc-reaper-'));
  process.env.TMPDIR = tmp;
});
test.afterEach(() => {
  process.env.TMPDIR = realTmp;
  rmSync(tmp, { recursive: true, force: true });
});

/** A process standing for a victim (or an orphan): its pid and start time. */
function sleeper(): { pid: number; start: number; alive(): boolean; kill(): void } {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid as number;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return {
    pid,
    start,
    alive: () => {
      try {
        return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    },
    kill: () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    },
  };
}

const recordsDir = () => join(tmp, `cors-conformance-${process.getuid?.() ?? 0}`, 'processes');
const DEAD_OWNER = { pid: 2 ** 22 - 1, start: 1 };

test('a file planted in the old shared pids folder kills nothing', () => {
  const victim = sleeper();
  try {
    mkdirSync(join(tmp, 'cors-conformance', 'pids'), { recursive: true });
    writeFileSync(join(tmp, 'cors-conformance', 'pids', `${DEAD_OWNER.pid}-${victim.pid}`), 'planted');
    expect(reapStale()).toBe(0);
    expect(victim.alive()).toBe(true);
  } finally {
    victim.kill();
  }
});

test('a record whose pid has another start time (a reused pid) kills nothing', () => {
  const victim = sleeper();
  try {
    reapStale(); // makes the private folder
    writeFileSync(join(recordsDir(), 'x.json'), JSON.stringify({ owner: DEAD_OWNER, child: { pid: victim.pid, start: victim.start + 1 }, command: 'x' }));
    expect(reapStale()).toBe(0);
    expect(victim.alive()).toBe(true);
  } finally {
    victim.kill();
  }
});

test('a record in a folder others can write kills nothing', () => {
  const victim = sleeper();
  try {
    reapStale();
    chmodSync(recordsDir(), 0o777);
    writeFileSync(join(recordsDir(), 'x.json'), JSON.stringify({ owner: DEAD_OWNER, child: { pid: victim.pid, start: victim.start }, command: 'x' }));
    expect(reapStale()).toBe(0);
    expect(victim.alive()).toBe(true);
  } finally {
    victim.kill();
  }
});

test('what a dead run recorded, still the same process, is ended, and its record goes', async () => {
  const orphan = sleeper();
  try {
    reapStale();
    writeFileSync(join(recordsDir(), 'x.json'), JSON.stringify({ owner: DEAD_OWNER, child: { pid: orphan.pid, start: orphan.start }, command: 'sleep 60' }));
    expect(reapStale()).toBe(1);
    await expect.poll(() => orphan.alive()).toBe(false);
    expect(reapStale()).toBe(0);
  } finally {
    orphan.kill();
  }
});
