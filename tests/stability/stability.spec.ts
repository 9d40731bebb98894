// Stability, end to end with real engines: sharded runs merge into exactly the unsharded
// result; a killed run keeps what finished and the next run still works; an engine that
// crashes mid-run leaves the others to finish, and the run says what is missing and fails.
// Each test runs the reference run as a user would (a child process), on a subset of cases.
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultsFile } from '../../model/results.ts';
import { resultsSchemaErrors } from '../../model/schemas.ts';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

const SUBSET = 'basics,standard,origins/null';
let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-stability-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { env: { ...process.env, CI: '', CC_CASES: SUBSET, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function finish(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const cli = (...args: string[]) => ['bin/cors-conformance.mjs', ...args];
const read = (d: string) => JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as ResultsFile;
const shape = (r: ResultsFile) =>
  Object.fromEntries(r.cases.flatMap((c) => Object.entries(c.results).map(([e, x]) => [`${c.id} ${e}`, `${x?.outcome} ${x?.preflight} ${x?.status}`])));

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

test('two shards merged give exactly the results of an unsharded run', async () => {
  const runs = await Promise.all([
    finish(start(cli('reference', '--out', join(dir, 'shard1'), '--shard', '1/2'), {})),
    finish(start(cli('reference', '--out', join(dir, 'shard2'), '--shard', '2/2'), {})),
  ]);
  for (const r of runs) expect(r.code, r.out.slice(-3000)).toBe(0);
  const whole = await finish(start(cli('reference', '--out', join(dir, 'whole')), {}));
  expect(whole.code, whole.out.slice(-3000)).toBe(0);
  const merged = await finish(start(cli('merge', join(dir, 'shard1'), join(dir, 'shard2'), '--out', join(dir, 'merged')), {}));
  expect(merged.code, merged.out).toBe(0);
  const a = read(join(dir, 'merged'));
  const b = read(join(dir, 'whole'));
  expect(Object.keys(shape(a)).length).toBeGreaterThan(100);
  expect(shape(a)).toEqual(shape(b));
  expect(a.cases.map((c) => c.id)).toEqual(b.cases.map((c) => c.id));
  expect(a.engines.map((e) => `${e.id} ${e.version}`)).toEqual(b.engines.map((e) => `${e.id} ${e.version}`));
  expect(resultsSchemaErrors(a)).toEqual([]);
  expect(existsSync(join(dir, 'merged', 'index.html'))).toBe(true);
});

const FIREFOX = 'playwright_firefoxdev_profile';

test('a killed run keeps every finished batch, and the next run is not broken by what it left', async () => {
  const out = join(dir, 'killed');
  const child = start(cli('reference', '--out', out), {});
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
  const again = await finish(start(cli('reference', '--out', join(dir, 'after-kill')), {}));
  expect(again.code, again.out.slice(-3000)).toBe(0);
  expect(read(join(dir, 'after-kill')).complete).toBe(true);
  // The browsers the killed run left (re-parented to init) were reaped by the next one.
  expect(
    left.filter((p) => running(p, FIREFOX)),
    'orphaned Firefox processes still running',
  ).toEqual([]);
});

test('an engine that crashes mid-run: the others finish, the run names what is missing and fails', async () => {
  const out = join(dir, 'crash');
  const child = start(cli('reference', '--out', out), {});
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
  for (const engine of ['chromium', 'firefox'] as const) {
    expect(
      results.cases.every((c) => c.results[engine]?.outcome === 'allowed' || c.results[engine]?.outcome === 'blocked'),
      `${engine} finished`,
    ).toBe(true);
  }
  expect(r.out).toMatch(/missing: webkit has no result for \d+ of \d+ cases/);
  expect(results.environment.notes.join('\n')).toMatch(/webkit/);
});
