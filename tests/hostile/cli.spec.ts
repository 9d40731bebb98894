// The command against hostile targets: every way it ends is an exit code that means what it
// says (2: the target could not be graded, never 1, which is a verdict), within its budgets,
// with what finished written and no temporary folder left behind. The last two tests start
// Chromium through the command itself.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostileTarget } from './targets.ts';
import { childOutput } from '../child-output.ts';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The command in a child process with its own TMPDIR; `signalAfter` sends SIGTERM once stderr says so. */
function run(args: string[], env: NodeJS.ProcessEnv, signalAfter?: RegExp): Promise<Run> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn('node', ['bin/cors-conformance.mjs', ...args], { env: { ...process.env, ...env, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    void childOutput(child, (stderr) => {
      if (signalAfter?.test(stderr)) {
        signalAfter = undefined;
        child.kill('SIGTERM');
      }
    }).then(({ code, signal, stdout, stderr, exitedAt }) => resolve({ code, signal, stdout, stderr, ms: exitedAt - start }));
  });
}

let tmp: string;
test.beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cc-hostile-cli-'));
});
test.afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const POLICY = ['--policy', 'examples/cors-policy.json'];

test('a target that answers 000 is a setup error (exit 2), not a crash and not "does not conform"', async () => {
  const t = await startHostileTarget('status-000');
  try {
    const r = await run(['grade', '--target', t.url, ...POLICY, '--engine', 'chromium', '--out', join(tmp, 'out')], { TMPDIR: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid status code 000');
    expect(r.stderr).not.toContain('internal error');
  } finally {
    await t.close();
  }
});

test('the whole-run budget bounds the plan too: headers one byte a second end the run with exit 2', async () => {
  const t = await startHostileTarget('slow-headers');
  try {
    const r = await run(['grade', '--target', t.url, ...POLICY, '--timeout', '2', '--out', join(tmp, 'out')], { TMPDIR: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/run's budget \(--timeout 2 s\) ran out while planning|no complete response headers within/);
    // Hang detection, generous: the budgets are 2 s and 5 s, the process's last word 10 s.
    expect(r.ms).toBeLessThan(60_000);
  } finally {
    await t.close();
  }
});

test('an OpenAPI document of 20,000 paths is refused before any browser starts, naming --max-endpoints', async () => {
  test.setTimeout(120_000);
  const doc = join(tmp, 'huge.json');
  const paths = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`/p${i}`, { get: { responses: { '200': { description: 'ok' } } } }]));
  writeFileSync(doc, JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths }));
  const policy = join(tmp, 'policy.json');
  writeFileSync(policy, JSON.stringify({ origins: ['https://app.example.com'] }));
  const t = await slowServer(0);
  try {
    const r = await run(['grade', '--target', t.url, '--policy', policy, '--openapi', doc, '--out', join(tmp, 'out')], {
      TMPDIR: tmp,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/20000 endpoints to probe \(with --openapi .*\), more than the limit of 500; .*--max-endpoints 20000/);
    expect(r.stderr).not.toContain('starting');
  } finally {
    await t.close();
  }
});

/** A server that answers CORS requests correctly for examples/cors-policy.json, each after `delayMs`. */
async function slowServer(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    const allowed = origin === 'https://app.example.com';
    setTimeout(() => {
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
        ...(allowed ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {}),
        ...(allowed && req.method === 'OPTIONS'
          ? { 'Access-Control-Allow-Methods': 'GET, POST, PUT', 'Access-Control-Allow-Headers': 'Content-Type, X-Api-Key' }
          : {}),
      });
      res.end(req.method === 'OPTIONS' ? '' : 'ok');
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

test('past the whole-run budget the grade ends with exit 2, writes what finished and says what did not run', async () => {
  test.setTimeout(180_000);
  const s = await slowServer(3_000);
  try {
    const out = join(tmp, 'out');
    const r = await run(['grade', '--target', s.url, ...POLICY, '--engine', 'chromium', '--no-search', '--timeout', '12', '--out', out], { TMPDIR: tmp });
    expect(r.code).toBe(2);
    const report = JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8')) as { verdict: string; errors: string[] };
    expect(report.verdict).toBe('error');
    expect(report.errors.join('\n')).toMatch(/chromium: \d+ of \d+ probes did not run: the run's budget \(--timeout\) ran out/);
    // No certificate folder or anything else of the run is left in its temporary folder.
    expect(readdirSync(tmp).filter((f) => f.startsWith('cors-conformance-cert-'))).toEqual([]);
  } finally {
    await s.close();
  }
});

test('SIGTERM mid-run stops the engines, removes the temporary folders and exits 143', async () => {
  test.setTimeout(180_000);
  const s = await slowServer(2_000);
  try {
    const r = await run(
      ['grade', '--target', s.url, ...POLICY, '--engine', 'chromium', '--no-search', '--out', join(tmp, 'out')],
      { TMPDIR: tmp },
      /starting chromium/,
    );
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('SIGTERM: stopping the engines and removing temporary files');
    expect(readdirSync(tmp).filter((f) => f.startsWith('cors-conformance-cert-'))).toEqual([]);
  } finally {
    await s.close();
  }
});
