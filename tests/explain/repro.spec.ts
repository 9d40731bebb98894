// explain --repro: the folder written from a blocked request, copied to a fresh folder outside
// the project (no node_modules near it), reproduces the block with its one command, in a real
// browser; nothing secret is in it.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cors from 'cors';
import express from 'express';
import { test, expect } from '../../suites/fixtures.ts';
import { explain } from '../../explain/explain.ts';
import { parseExplainArgs } from '../../explain/request.ts';
import { writeRepro } from '../../explain/repro.ts';
import { harEngine, pageOutcome } from './record-har.ts';

test('--repro: copied to a fresh folder, `node server.mjs --once` reproduces the block in the browser', async ({
  gradeSession,
  engineId,
  browsers,
}, testInfo) => {
  const id = engineId ?? 'chromium';
  const app = express().use(cors({ origin: 'https://app.example.com', methods: ['GET', 'POST'], credentials: true }));
  app.all('/api/items', (_req, res) => void res.json({ ok: true }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/items?id=7`;
  const x = await explain(
    gradeSession,
    parseExplainArgs({
      url,
      origin: 'https://app.example.com',
      method: 'DELETE',
      header: ['Authorization: Bearer s3cr3t-repro', 'X-Api-Key: k1'],
      credentials: 'include',
      engine: [id],
    }),
  ).finally(() => new Promise<void>((r) => server.close(() => r())));
  expect(x.engines[0]?.outcome).toBe('blocked');

  const written = writeRepro(testInfo.outputPath('repro'), x);
  expect(written.command).toBe('node server.mjs');
  // A fresh folder, away from the project: the bundle needs Node alone.
  const fresh = mkdtempSync(join(tmpdir(), 'cc-repro-'));
  const child = { pid: 0 };
  try {
    cpSync(written.dir, fresh, { recursive: true });
    for (const f of readdirSync(fresh)) expect(readFileSync(join(fresh, f), 'utf8'), f).not.toContain('s3cr3t-repro');
    const readme = readFileSync(join(fresh, 'README.md'), 'utf8');
    expect(readme).toContain(`**${id}**`);
    expect(readme).toMatch(/## What the Fetch standard says\n\nblocked: /);

    const proc = spawn(process.execPath, ['server.mjs', '--once'], { cwd: fresh, stdio: ['ignore', 'pipe', 'pipe'] });
    child.pid = proc.pid ?? 0;
    let out = '';
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const pageUrl = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.on('exit', () => reject(new Error(`server.mjs ended before serving: ${out}`)));
    });
    // Opened in the engine itself where Playwright drives it; WebKit here is WebKitGTK over WebDriver, so Chromium opens it.
    const seen = await pageOutcome(harEngine(id), browsers, pageUrl);
    expect(seen).toMatch(/^BLOCKED: TypeError/);
    expect(await exited, `server.mjs --once: ${out}`).toBe(1);
    expect(out).toMatch(/the page says: BLOCKED/);
    // The preflight reached the replaying server, from the page's stand-in origin.
    expect(out).toMatch(/api: OPTIONS \/api\/items\?id=7 from http:\/\/127\.0\.0\.1:\d+ -> 204/);
    child.pid = 0;
  } finally {
    if (child.pid) process.kill(child.pid);
    rmSync(fresh, { recursive: true, force: true });
  }
});
