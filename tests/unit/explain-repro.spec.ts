// The repro folder's data and README: the answers as recorded, minus what the replaying server
// writes itself; nothing secret; the server's text kept inert in the README's Markdown.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import type { CaptureInfo } from '../../explain/capture/request.ts';
import { explainRecorded } from '../../explain/explain.ts';
import { reproData, writeRepro } from '../../explain/repro.ts';
import { parseExplainArgs } from '../../explain/request.ts';

const INFO: CaptureInfo = { format: 'har', shape: null, entry: null, originFrom: 'Origin', leftOut: [], recorded: 'available', notes: [] };

test('the repro replays the recorded answers, keeps no secret, and keeps hostile text inert in its README', () => {
  const req = parseExplainArgs({
    url: 'https://api.example.com/api/items?id=7',
    origin: 'https://app.example.com',
    method: 'DELETE',
    header: ['Authorization: Bearer s3cr3t-u'],
    credentials: 'include',
  });
  const x = explainRecorded(
    req,
    {
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', 'https://app.example.com'],
          ['Access-Control-Allow-Methods', 'GET'],
          ['X-Note', '```\n# injected heading \x1b[2J'],
          ['Content-Length', '0'],
        ],
      },
      actual: { status: 0, headers: [] },
    },
    INFO,
  );
  const data = reproData(x);
  expect(data.request.path).toBe('/api/items?id=7');
  expect(data.originalOrigin).toBe('https://app.example.com');
  expect(data.preflight?.headers.map(([n]) => n)).toEqual(['Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'X-Note']);
  expect(data.actual).toBeNull();
  const dir = mkdtempSync(join(tmpdir(), 'cc-repro-unit-'));
  try {
    writeRepro(dir, x);
    const all = ['README.md', 'repro.json', 'server.mjs'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(all).not.toContain('s3cr3t-u');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).not.toContain('\x1b');
    expect(readme).not.toMatch(/^# injected/m);
    // Two fenced blocks, each opened and closed: the server's backticks added none.
    expect(readme.match(/^```/gm)?.length).toBe(4);
    expect(readme).toContain('No browser ran the request');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(() => writeRepro(dir, explainRecorded({ ...req, origin: 'null' }, { preflight: null, actual: { status: 200, headers: [] } }, INFO))).toThrow(
    /--repro: a page with an opaque origin/,
  );
});
