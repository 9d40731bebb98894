// The Playwright gate: its run folder is a private, unguessable folder made for the run and
// removed with it, so no file planted beforehand can be taken for a grade; and what it hands
// Playwright's reporters (titles, attachments) holds no secret it was given. The last test runs
// the gate itself in Chromium against the example server.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { once } from '../../suites/target/once.ts';
import { childOutput } from '../child-output.ts';

let tmp: string;
test.beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cc-hostile-gate-'));
});
test.afterEach(() => {
  delete process.env.CC_GATE_DIR;
  rmSync(tmp, { recursive: true, force: true });
});

test('a run folder others can write is not trusted, and a grade planted in it is never read', async () => {
  const dir = join(tmp, 'run');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'grade-chromium.json'), JSON.stringify({ verdict: 'pass', forged: true }));
  process.env.CC_GATE_DIR = dir;
  await expect(once('grade-chromium', async () => ({ verdict: 'fail' }))).rejects.toThrow(
    /is not a private folder of this user's \(mode 0700\); it is not trusted/,
  );
});

test('in a private run folder, the first process makes the value and the others read it', async () => {
  const dir = mkdtempSync(join(tmp, 'run-'));
  process.env.CC_GATE_DIR = dir;
  expect(await once('search', async () => ({ n: 1 }))).toEqual({ n: 1 });
  expect(await once('search', async () => ({ n: 2 }))).toEqual({ n: 1 });
});

test("workers that start together wait for the one making the value, and a dead maker's lock is taken over", async () => {
  const dir = mkdtempSync(join(tmp, 'run-'));
  process.env.CC_GATE_DIR = dir;
  let made = 0;
  const make = async () => {
    made++;
    await new Promise((r) => setTimeout(r, 300));
    return { made };
  };
  // Three at once, as three workers of one engine start: one grades, two wait and read.
  expect(await Promise.all([once('grade-x', make), once('grade-x', make), once('grade-x', make)])).toEqual([{ made: 1 }, { made: 1 }, { made: 1 }]);
  expect(made).toBe(1);
  // A maker that failed stores nothing: the next one makes the value.
  await expect(once('grade-y', async () => Promise.reject(new Error('engine lost')))).rejects.toThrow('engine lost');
  expect(await once('grade-y', async () => ({ ok: true }))).toEqual({ ok: true });
  // A maker that died holding the lock (its pid no longer runs) does not hold the others forever.
  const dead = spawn(process.execPath, ['-e', '']);
  const pid = dead.pid ?? 0;
  await new Promise((r) => dead.on('exit', r));
  writeFileSync(join(dir, 'grade-z.lock'), String(pid));
  expect(await once('grade-z', async () => ({ taken: true }))).toEqual({ taken: true });
  expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
});

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(args[0] as string, args.slice(1), { env: { ...process.env, ...env, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    void childOutput(child).then(({ code, stdout, stderr }) => resolve({ code, stdout, stderr }));
  });
}

test('the gate gives its reporters no secret, in any form, and leaves no run folder behind', async () => {
  test.setTimeout(300_000);
  const port = await getPort({ host: '127.0.0.1' });
  const server = spawn('npx', ['tsx', 'examples/server.ts', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const TOKEN = 'gate-token-9d2f71c0a5';
  const COOKIE = 'gate-cookie-4e8b13aa';
  try {
    await new Promise<void>((resolve) => server.stdout.on('data', (b: Buffer) => b.toString().includes('example API') && resolve()));
    const r = await run(['npx', 'playwright', 'test', '--reporter=json'], {
      CORS_TARGET: `http://127.0.0.1:${port}`,
      CORS_POLICY: 'examples/cors-policy.json',
      CORS_REQUEST_HEADERS: `X-Api-Key: ${TOKEN}`,
      CORS_COOKIES: `sid=${COOKIE}`,
      CC_ENGINES: 'chromium',
      TMPDIR: tmp,
    });
    expect(r.stdout.length).toBeGreaterThan(1000);
    const report = JSON.parse(r.stdout) as { stats: { expected: number } };
    expect(report.stats.expected).toBeGreaterThan(10);
    for (const secret of [TOKEN, COOKIE]) {
      for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').slice(0, 16)]) {
        expect(r.stdout).not.toContain(form);
        expect(r.stderr).not.toContain(form);
      }
    }
    // The attachments are there, just redacted: the intended probes carried the header.
    expect(r.stdout).toContain('X-Api-Key');
    expect(readdirSync(tmp).filter((f) => f.startsWith('cors-conformance-gate-'))).toEqual([]);
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGKILL');
  }
});
