// The explain command itself, as a developer runs it: a Chromium "Copy as cURL" piped into
// `explain --from -`, with --framework and --repro, in this project's engine; and a HAR whose
// server no longer answers, explained over its recorded answers with no browser at all. The
// exit codes, the JSON (schema-checked by the command), and no secret in anything written.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cors from 'cors';
import express from 'express';
import { test, expect } from '../../suites/fixtures.ts';
import type { Explanation } from '../../explain/explain.ts';
import { childOutput } from '../child-output.ts';

const CLI = ['bin/cors-conformance.mjs', 'explain'];

function run(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = childOutput(child);
  return new Promise((resolve) => {
    void output.then(({ code, stdout, stderr }) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const curl = (url: string) =>
  [
    `curl '${url}' \\`,
    "  -X 'DELETE' \\",
    "  -H 'accept: */*' \\",
    "  -H 'authorization: Bearer cli-s3cr3t' \\",
    "  -b 'session=cli-cookie-value' \\",
    "  -H 'origin: https://app.example.com' \\",
    "  -H 'sec-fetch-mode: cors' \\",
    "  -H 'user-agent: Mozilla/5.0 Chrome/156.0.0.0' \\",
    "  -H 'x-api-key: k1'",
    '',
  ].join('\n');

test('explain --from - --framework --repro --out: a pasted cURL, blocked (exit 1), its fix in express, a repro, the page, no secret anywhere', async ({
  engineId,
}) => {
  const app = express().use(cors({ origin: 'https://app.example.com', methods: ['GET', 'POST'], credentials: true }));
  app.all('/api/items', (_req, res) => void res.json({ ok: true }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'cc-explain-cli-'));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/items`;
    const repro = join(dir, 'repro');
    const out = join(dir, 'out');
    const r = await run(['--from', '-', '--engine', engineId ?? 'chromium', '--framework', 'express', '--repro', repro, '--out', out, '--json'], curl(url));
    expect(r.code, r.stderr).toBe(1);
    const x = JSON.parse(r.stdout) as Explanation;
    expect(x.capture?.format).toBe('curl-bash');
    expect(x.capture?.leftOut.map((l) => l.name)).toContain('Cookie session');
    expect(x.request.method).toBe('DELETE');
    expect(x.request.credentials).toBe('include');
    expect(x.engines[0]?.outcome).toBe('blocked');
    expect(x.config?.framework).toBe('express');
    expect(x.config?.snippet).toContain("'DELETE'");
    expect(x.repro?.files).toEqual(['repro.json', 'server.mjs', 'README.md']);
    // The page shows the captured request end to end: what was read, what was left out, each engine, the fix.
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    for (const part of [
      'From the capture',
      'Copy as cURL',
      'Cookie session',
      'What each engine did',
      'BLOCKED',
      'The Fetch standard',
      'In Express with the cors package',
    ])
      expect(page, part).toContain(part);
    expect(JSON.parse(readFileSync(join(out, 'explanation.json'), 'utf8'))).toEqual(x);
    const written = [r.stdout, r.stderr, page, ...readdirSync(repro).map((f) => readFileSync(join(repro, f), 'utf8'))].join('\n');
    expect(written).not.toContain('cli-s3cr3t');
    expect(written).not.toContain('cli-cookie-value');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('explain --from <har>: the server gone, the recorded answers explain it with no browser (exit 1); usage errors exit 2', async () => {
  // Chromium's HAR of tests/unit/fixtures/captures, pointed at a loopback port nothing listens on (9, discard).
  const dir = mkdtempSync(join(tmpdir(), 'cc-explain-har-'));
  const harFile = join(dir, 'gone.har');
  writeFileSync(
    harFile,
    readFileSync('tests/unit/fixtures/captures/chromium-devtools.har', 'utf8').replaceAll('https://api.example.com', 'http://127.0.0.1:9'),
  );
  const offline = await run(['--from', harFile], '').finally(() => rmSync(dir, { recursive: true, force: true }));
  expect(offline.code, offline.stderr).toBe(1);
  expect(offline.stdout).toContain('no browser ran it: the server did not answer');
  expect(offline.stdout).toContain("The Fetch standard, over the server's recorded response headers: BLOCKED");
  expect(offline.stdout).not.toContain('abc123');
  expect(offline.stdout).not.toContain('s3cr3t-token');
  const usage = await run(['--from', '-', 'http://127.0.0.1:9/x'], 'fetch("http://127.0.0.1:9/x")');
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/--from: the capture gives the request; leave out the URL/);
  const hostile = await run(['--from', '-'], 'curl \'https://a.test/x\' -H "X: $(id)"');
  expect(hostile.code).toBe(2);
  expect(hostile.stderr).toMatch(/would make the shell run or expand something/);
});
