// Stability, end to end with real engines: a killed run keeps what finished and the next run
// still works; an engine that crashes mid-run leaves the others to finish, and the run says
// what is missing and fails. Each test runs the reference run as a user would (a child
// process), on a subset of cases, in the engines it needs. That sharded runs merge into
// exactly the unsharded result is a test over recorded results (tests/replay/merge.spec.ts).
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultsFile } from '../../model/results.ts';
import { resultsSchemaErrors } from '../../model/schemas.ts';
import { childOutput } from '../child-output.ts';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

const SUBSET = 'basics,standard,origins/null';
let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-stability-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A reference run of the subset in `engines`, as its own process group. */
function start(args: string[], engines: string): ChildProcess {
  return spawn(process.execPath, args, {
    env: { ...process.env, CI: '', CC_CASES: SUBSET, CC_ENGINES: engines },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

function finish(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  return childOutput(child).then(({ code, stdout, stderr }) => ({ code, out: `${stdout}${stderr}` }));
}

const cli = (...args: string[]) => ['bin/cors-conformance.mjs', ...args];
const read = (d: string) => JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as ResultsFile;

/** Processes below `pid` whose command line contains `name`. */
function descendants(pid: number, name: string): number[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
    } catch {
      /* gone */
    }
  }
  const isBelow = (p: number): boolean => {
    for (let q = parent.get(p); q; q = parent.get(q)) if (q === pid) return true;
    return false;
  };
  return [...cmd].filter(([p, c]) => c.includes(name) && isBelow(p)).map(([p]) => p);
}

function orphan(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === 1;
  } catch {
    return false;
  }
}

/** Whether `pid` is still a process whose command line contains `name` (not a reused pid). */
function running(pid: number, name: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name);
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms: number, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const FIREFOX = 'playwright_firefoxdev_profile';

// Firefox is the engine that outlives a killed run (it listens on a socket), so it alone runs here.
test('a killed run keeps every finished batch, and the next run is not broken by what it left', async () => {
  const out = join(dir, 'killed');
  const child = start(cli('reference', '--out', out), 'firefox');
  const done = finish(child);
  // Kill once a batch is written and Firefox is up: Firefox outlives its parent, so the
  // kill leaves it behind for the next run to reap.
  let firefox: number[] = [];
  await until(
    () => {
      firefox = descendants(child.pid as number, FIREFOX);
      try {
        return firefox.length > 0 && read(out).cases.some((c) => Object.keys(c.results).length > 0);
      } catch {
        return false;
      }
    },
    120_000,
    'a finished batch while Firefox runs',
  );
  process.kill(-(child.pid as number), 'SIGKILL');
  await done;
  // Re-parenting follows the death of Firefox's own parent, which may trail the CLI's exit.
  const orphaned = (): number[] => firefox.filter((p) => orphan(p) && running(p, FIREFOX));
  await until(() => orphaned().length > 0, 10_000, 'Firefox to outlive the killed run').catch(() => undefined);
  const left = orphaned();
  expect(left.length, 'the killed run left no orphaned Firefox: the reaping below would prove nothing').toBeGreaterThan(0);
  const kept = read(out);
  expect(resultsSchemaErrors(kept)).toEqual([]);
  expect(kept.complete).toBe(false);
  expect(kept.cases.filter((c) => Object.keys(c.results).length > 0).length).toBeGreaterThan(0);
  const again = await finish(start(cli('reference', '--out', join(dir, 'after-kill')), 'firefox'));
  expect(again.code, again.out.slice(-3000)).toBe(0);
  expect(read(join(dir, 'after-kill')).complete).toBe(true);
  // The browsers the killed run left (re-parented to init) were reaped by the next one.
  expect(
    left.filter((p) => running(p, FIREFOX)),
    'orphaned Firefox processes still running',
  ).toEqual([]);
});

// WebKit's browser is killed from outside; Chromium is the other engine that must finish.
test('an engine that crashes mid-run: the others finish, the run names what is missing and fails', async () => {
  const out = join(dir, 'crash');
  const child = start(cli('reference', '--out', out), 'webkit,chromium');
  const done = finish(child);
  // As soon as WebKit has finished one batch, kill its browser process from outside.
  let killed: number[] = [];
  await until(() => {
    const journal = join(out, 'journal');
    const webkitDone =
      existsSync(journal) && readdirSync(journal).some((f) => f.startsWith('webkit') && readFileSync(join(journal, f), 'utf8').includes('"kind":"case"'));
    if (webkitDone) killed = descendants(child.pid as number, 'MiniBrowser');
    return killed.length > 0;
  }, 120_000);
  for (const pid of killed) process.kill(pid, 'SIGKILL');
  const r = await done;
  expect(r.code).not.toBe(0);
  const results = read(out);
  for (const engine of ['chromium'] as const) {
    expect(
      results.cases.every((c) => c.results[engine]?.outcome === 'allowed' || c.results[engine]?.outcome === 'blocked'),
      `${engine} finished`,
    ).toBe(true);
  }
  expect(r.out).toMatch(/missing: webkit has no result for \d+ of \d+ cases/);
  expect(results.environment.notes.join('\n')).toMatch(/webkit/);
});
