// `explain --repro <dir>`: a folder a maintainer can run with Node alone. A server answers
// exactly the responses explain saw (or the HAR recorded), a page makes the request, and one
// command serves both and prints what the browser did; the README says what each engine did
// and what the Fetch standard says. Nothing secret goes in: cookie and authorization values
// were redacted before they reached the explanation, and the page sends the placeholder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Header } from '../model/case.ts';
import type { Explanation } from './explain.ts';
import { ExplainUsageError } from './request.ts';

/** What the folder's server replays: one request, one page, the answers as the server gave them. */
export interface ReproData {
  schema: 'cors-conformance/repro@1';
  /** The page's origin in the original request; the repro's page stands on its own loopback origin instead. */
  originalOrigin: string;
  request: { method: string; path: string; headers: Header[]; body: string | null; credentials: string };
  preflight: { status: number; headers: Header[] } | null;
  actual: { status: number; headers: Header[] } | null;
}

// Headers the replaying server writes itself, or that would misdescribe its body.
const NOT_REPLAYED = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'date',
  'content-encoding',
  'set-cookie',
  'etag',
  'last-modified',
]);

const replayable = (hs: readonly Header[]) => hs.filter(([n]) => !NOT_REPLAYED.has(n.toLowerCase()));

export function reproData(x: Explanation): ReproData {
  const u = new URL(x.request.url);
  return {
    schema: 'cors-conformance/repro@1',
    originalOrigin: x.request.origin,
    request: { method: x.request.method, path: u.pathname + u.search, headers: x.request.headers, body: x.request.body, credentials: x.request.credentials },
    preflight: x.responses.preflight ? { status: x.responses.preflight.status, headers: replayable(x.responses.preflight.headers) } : null,
    actual: x.responses.actual ? { status: x.responses.actual.status, headers: replayable(x.responses.actual.headers) } : null,
  };
}

// The folder's one program: plain JavaScript for Node 18 or later, no dependency.
const SERVER = String.raw`#!/usr/bin/env node
// Replays one CORS exchange (repro.json): a page on one loopback origin fetches an API on
// another, whose answers are the ones the real server gave. Every header value that named the
// original page's origin names the page's origin here instead. Run: node server.mjs [--once]
// [--page-port N] [--api-port N]. With --once it exits after the page reports: 0 allowed, 1 blocked.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const repro = JSON.parse(readFileSync(new URL('./repro.json', import.meta.url), 'utf8'));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const once = args.includes('--once');

const listen = (server, port) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server.address().port)));
const api = http.createServer();
const page = http.createServer();
const apiPort = await listen(api, flag('--api-port', 0));
const pagePort = await listen(page, flag('--page-port', 0));
const pageOrigin = 'http://127.0.0.1:' + pagePort;
const apiUrl = 'http://127.0.0.1:' + apiPort + repro.request.path;
const swap = (headers) => headers.map(([n, v]) => [n, v.split(repro.originalOrigin).join(pageOrigin)]);

api.on('request', (req, res) => {
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  const answer = (preflight ? repro.preflight : repro.actual) ?? { status: preflight ? 404 : 200, headers: [] };
  console.log('  api: ' + req.method + ' ' + req.url + (req.headers.origin ? ' from ' + req.headers.origin : '') + ' -> ' + answer.status);
  for (const [n, v] of swap(answer.headers)) res.appendHeader(n, v);
  res.writeHead(answer.status);
  res.end(preflight || answer.status === 204 || answer.status === 304 ? undefined : '{"repro":true}');
});

const PAGE = '<!doctype html><meta charset="utf-8"><title>CORS repro</title><h1>CORS repro</h1><pre id="out">running…</pre><script>' +
  'const r = ' + JSON.stringify({ url: apiUrl, request: repro.request }).replace(/</g, '\\u003c') + ';' +
  'const init = { method: r.request.method, headers: r.request.headers, credentials: r.request.credentials, mode: "cors" };' +
  'if (r.request.body !== null) init.body = r.request.body;' +
  'const report = (outcome, detail) => { document.getElementById("out").textContent = outcome + ": " + detail + "\\n(the browser console has its own message)";' +
  '  fetch("/__result", { method: "POST", body: JSON.stringify({ outcome, detail, ua: navigator.userAgent }) }); };' +
  'fetch(r.url, init).then((res) => report("ALLOWED", "status " + res.status), (err) => report("BLOCKED", String(err)));' +
  '</script>';

page.on('request', (req, res) => {
  if (req.method === 'POST' && req.url === '/__result') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r = JSON.parse(body);
      console.log('the page says: ' + r.outcome + ' (' + r.detail + ') in ' + r.ua);
      res.end();
      if (once) {
        api.close();
        page.close();
        process.exitCode = r.outcome === 'ALLOWED' ? 0 : 1;
      }
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(PAGE);
});

console.log(repro.request.method + ' ' + apiUrl + ' from a page on ' + pageOrigin + ' (standing in for ' + repro.originalOrigin + ')');
console.log('open ' + pageOrigin + '/ in a browser; what it did is printed here' + (once ? ', then this exits' : ' (Ctrl-C ends)'));
`;

/** Text from the server or the browser, inside the README's code spans and blocks: no control
 *  character, and no backtick that could close the span or fence and make the rest Markdown. */
const md = (s: string) => s.replace(/\p{Cc}/gu, ' ').replace(/`/g, "'");

function readme(x: Explanation, data: ReproData): string {
  const r = x.request;
  const lines = [
    '# CORS repro',
    '',
    `A page on \`${md(r.origin)}\` makes \`${md(r.method)} ${md(r.url)}\` with \`credentials: '${r.credentials}'\`${r.headers.length ? ` and the headers ${r.headers.map(([n]) => `\`${md(n)}\``).join(', ')}` : ''}.`,
    '',
    'Run it (Node 18 or later, nothing to install):',
    '',
    '```sh',
    'node server.mjs          # then open the printed URL in Chromium, Firefox or Safari',
    'node server.mjs --once   # exits after the page reports: 0 allowed, 1 blocked',
    '```',
    '',
    `The server answers exactly what the real server answered${x.capture?.recorded === 'used' ? ' (as the HAR recorded it)' : ''}, with the page's origin`,
    `(\`${md(r.origin)}\`) replaced by the loopback origin the page is served from. \`repro.json\` holds the request and`,
    'the answers. Cookie and Authorization values are not in this folder: the page sends `<redacted>` (CORS never reads a value).',
    '',
    '## What each engine did',
    '',
  ];
  if (!x.engines.length) lines.push('No browser ran the request: the server did not answer, and the answers come from the HAR.');
  for (const e of x.engines) {
    lines.push(`- **${e.engine.id}** (${e.engine.name} ${e.engine.version}): ${e.outcome}${e.browserMessage ? `, and said: \`${md(e.browserMessage)}\`` : ''}`);
  }
  const last = x.spec.steps.at(-1);
  lines.push(
    '',
    '## What the Fetch standard says',
    '',
    `${x.spec.outcome}${last ? `: ${md(last.decision)} (${last.anchor})` : ''}`,
    '',
    '## The answers replayed',
    '',
    '```',
    ...(data.preflight
      ? [`preflight (OPTIONS) -> ${data.preflight.status}`, ...data.preflight.headers.map(([n, v]) => `  ${md(n)}: ${md(v)}`)]
      : ['no preflight answer']),
    ...(data.actual
      ? [`${r.method} -> ${data.actual.status}`, ...data.actual.headers.map(([n, v]) => `  ${md(n)}: ${md(v)}`)]
      : [`${r.method}: no answer seen`]),
    '```',
    '',
    'Written by `cors-conformance explain --repro`.',
    '',
  );
  return lines.join('\n');
}

/** Writes the folder; returns the command that shows the failure. */
export function writeRepro(dir: string, x: Explanation): { dir: string; files: string[]; command: string } {
  if (x.request.origin === 'null')
    throw new ExplainUsageError('--repro: a page with an opaque origin (Origin: null) is not reproduced; explain it without --repro', { field: '--repro' });
  mkdirSync(dir, { recursive: true });
  const data = reproData(x);
  const files = ['repro.json', 'server.mjs', 'README.md'];
  writeFileSync(join(dir, 'repro.json'), `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(join(dir, 'server.mjs'), SERVER, { mode: 0o755 });
  writeFileSync(join(dir, 'README.md'), readme(x, data));
  return { dir, files, command: 'node server.mjs' };
}
