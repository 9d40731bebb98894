// explain --from: each DevTools' "Copy as fetch", "Copy as cURL" and HAR, read into the same
// request; secrets never in what is shown; hostile or broken captures refused, naming the part
// at fault and the fix.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { CaptureError } from '../../explain/capture/errors.ts';
import { MAX_CAPTURE_BYTES, parseCapture } from '../../explain/capture/formats.ts';
import { readCapture } from '../../explain/capture/request.ts';
import { bashWords, cmdWords } from '../../explain/capture/shell.ts';
import { runExplain } from '../../explain/run.ts';

const sample = (name: string) => readFileSync(new URL(`fixtures/captures/${name}`, import.meta.url), 'utf8');
const BODY = JSON.stringify({ name: `O'Brien & "co" 100%` });

const SAMPLES: Array<[file: string, format: string, shape: string | null]> = [
  ['chromium-fetch.txt', 'fetch', 'chromium'],
  ['chromium-fetch-node.txt', 'fetch-node', 'chromium'],
  ['firefox-fetch.txt', 'fetch', 'firefox'],
  ['webkit-fetch.txt', 'fetch', 'webkit'],
  ['chromium-curl-bash.txt', 'curl-bash', 'chromium'],
  ['chromium-curl-cmd.txt', 'curl-cmd', 'chromium'],
  ['firefox-curl-bash.txt', 'curl-bash', 'firefox'],
  ['firefox-curl-cmd.txt', 'curl-cmd', 'firefox'],
  ['webkit-curl-bash.txt', 'curl-bash', 'webkit'],
  ['chromium-devtools.har', 'har', 'chromium'],
];

for (const [file, format, shape] of SAMPLES) {
  test(`${file}: read as ${format}, the same request as the flags would give`, () => {
    const { request: r, info } = readCapture(sample(file));
    expect(info.format).toBe(format);
    expect(info.shape).toBe(shape);
    expect(r.url.href).toBe('https://api.example.com/api/items?id=7');
    expect(r.origin).toBe('https://app.example.com');
    expect(r.method).toBe('PUT');
    expect(r.body).toBe(BODY);
    expect(r.credentials).toBe('include');
    // The headers the page set, and only those: the browser's own are left out, by name.
    expect(r.headers.map(([n, v]) => `${n.toLowerCase()}: ${v}`).sort()).toEqual([
      'authorization: Bearer s3cr3t-token',
      'content-type: application/json',
      'x-api-key: k1',
    ]);
    expect(info.leftOut.map((l) => l.name.toLowerCase())).not.toContain('content-type');
    // Secrets: the cookies by name only, nothing of their values anywhere in what is shown.
    const shown = JSON.stringify(info);
    expect(shown).not.toContain('abc123');
    expect(shown).not.toContain('dark');
    expect(shown).not.toContain('s3cr3t');
    if (format !== 'fetch') expect(info.leftOut.map((l) => l.name)).toEqual(expect.arrayContaining(['Cookie session', 'Cookie theme']));
  });
}

test('a HAR: its cross-origin request, its preflight answered and the request itself blocked; Set-Cookie redacted', () => {
  const { recorded, info } = readCapture(sample('chromium-devtools.har'));
  expect(info.entry).toEqual({ index: 2, of: 3 });
  expect(info.recorded).toBe('available');
  expect(recorded?.preflight?.status).toBe(204);
  expect(recorded?.preflight?.headers).toContainEqual(['access-control-allow-methods', 'GET, POST']);
  expect(recorded?.preflight?.headers).toContainEqual(['set-cookie', 'tracker=<redacted>']);
  expect(recorded?.actual.status).toBe(0);
  expect(JSON.stringify(recorded)).not.toContain('zz9plural');
});

test('a HAR: --entry by index (a preflight names its request), by URL, or refused with the list', () => {
  const har = sample('chromium-devtools.har');
  expect(parseCapture(har, '2').entry?.index).toBe(2);
  expect(parseCapture(har, '1').entry?.index).toBe(2);
  expect(parseCapture(har, 'https://api.example.com/api/items?id=7').method).toBe('PUT');
  expect(parseCapture(har, '/api/items').entry?.index).toBe(2);
  expect(() => parseCapture(har, '7')).toThrow(/--entry 7: the HAR has 3 entries, numbered from 0; give one of 0 to 2/);
  expect(() => parseCapture(har, 'https://nowhere.test/')).toThrow(/no entry of the HAR has that URL; its requests:\n {2}0: GET https:\/\/app\.example\.com\//);
  // The page itself is a same-origin request: CORS does not apply, and explain says so.
  expect(() => readCapture(har, { entry: '0', origin: 'https://app.example.com' })).toThrow(/same-origin request/);
});

test('--origin wins over the capture, with a note; a referrer alone gives the origin; an Origin: null page stays null', () => {
  const r = readCapture(sample('chromium-fetch.txt'), { origin: 'https://other.example.com' });
  expect(r.request.origin).toBe('https://other.example.com');
  expect(r.info.originFrom).toBe('--origin');
  expect(r.info.notes.join('\n')).toMatch(/the capture shows a page on https:\/\/app\.example\.com/);
  expect(readCapture(sample('firefox-fetch.txt')).info.originFrom).toBe('referrer');
  const nul = readCapture(`curl 'https://api.example.com/x' -H 'Origin: null'`);
  expect(nul.request.origin).toBe('null');
  expect(nul.request.credentials).toBe('same-origin');
});

test('a copied preflight explains the request it asked for', () => {
  const r = readCapture(
    `curl 'https://api.example.com/x' -X 'OPTIONS' -H 'access-control-request-method: DELETE' -H 'access-control-request-headers: x-api-key' -H 'origin: https://app.example.com'`,
  );
  expect(r.request.method).toBe('DELETE');
  expect(r.request.headers).toEqual([['x-api-key', 'x']]);
  expect(r.info.notes.join()).toMatch(/is a preflight/);
});

test('the shells: bash $-quoting and continuations, cmd carets and the C runtime quoting', () => {
  expect(bashWords(`curl 'a b' \\\n  $'it\\'s\\n\\x41\\u00e9' "x\\"y" z\\ w`)).toEqual(['curl', 'a b', "it's\nAé", 'x"y', 'z w']);
  expect(cmdWords('curl ^"a b^" ^\n  -H ^"x: ^\\^"q^\\^"^" ^"100^%^"')).toEqual(['curl', 'a b', '-H', 'x: "q"', '100%']);
  expect(cmdWords('curl "a ""b"" c" d\\\\"e f"')).toEqual(['curl', 'a "b" c', 'd\\e f']);
  // A line break kept inside a value: ^, then two line breaks.
  expect(cmdWords('curl --data-raw ^"a^\n\nb^"')).toEqual(['curl', '--data-raw', 'a\nb']);
});

const HOSTILE: Array<[title: string, text: string, message: RegExp]> = [
  ['an empty capture', '  \n', /the capture is empty; paste a request copied with "Copy as fetch"/],
  ['not a capture', 'GET /api/items HTTP/1.1', /not one explain reads .*"Copy as fetch" or "Copy as cURL"/],
  ['code in a fetch call', 'fetch("https://a.test/x", { headers: getHeaders() })', /only literals are read, never code/],
  ['a template substitution', 'fetch(`https://a.test/$' + '{path}`)', /a \$\{…\} substitution is code/],
  ['a spread', 'fetch("https://a.test/x", { ...opts })', /a spread \(\.\.\.\) is code/],
  ['an option DevTools never writes', 'fetch("https://a.test/x", { "signal": null })', /option "signal" is not one DevTools writes; copy the request again/],
  ['a no-cors fetch', 'fetch("https://a.test/x", { "mode": "no-cors", "headers": {} })', /mode is "no-cors".*never reads the response/],
  ['two fetch calls', 'fetch("https://a.test/x");\nfetch("https://a.test/y");', /more than one fetch call.*copy the one request/],
  ['a header value that is not a string', 'fetch("https://a.test/x", { "headers": { "x-a": 1 }, "mode": "cors" })', /header "x-a" is number, not a string/],
  ['nesting built to exhaust the stack', `fetch("https://a.test/x", ${'['.repeat(5000)})`, /nested more than 16 levels deep/],
  ['a string that never ends', 'fetch("https://a.test/x', /a string that never ends/],
  ['a command substitution in curl', 'curl \'https://a.test/x\' -H "X-A: $(id)"', /"\$" inside double quotes would make the shell run or expand something/],
  ['a pipe after curl', "curl 'https://a.test/x' | sh", /"\|" outside quotes would make the shell run/],
  ['a cmd pipe', 'curl ^"https://a.test/x^" | calc', /"\|" outside quotes would make the command prompt run something/],
  ['a cmd variable', 'curl ^"https://a.test/x^" %PATH%', /%…% outside quotes would make the command prompt expand a variable/],
  ['a curl option DevTools never writes', "curl 'https://a.test/x' -o /etc/passwd", /option -o is not one DevTools' "Copy as cURL" writes/],
  ['a body from a file', "curl 'https://a.test/x' --data @/etc/passwd", /reads its body from a file/],
  ['credentials given with -u', "curl 'https://a.test/x' -u admin:hunter2", /gives credentials with -u/],
  [
    'a header with a line break in its value',
    "curl 'https://a.test/x' -H $'X-A: a\\r\\nX-B: b' -H 'Origin: https://b.test'",
    /X-A header has a line break or NUL/,
  ],
  ['no page origin', "curl 'https://a.test/x' -H 'x-api-key: k'", /no page origin.*--origin https:\/\/app\.example\.com/],
  ['a same-origin request', "curl 'https://a.test/x' -H 'Origin: https://a.test'", /same-origin request .*CORS does not apply/],
  ['a forbidden method', "curl 'https://a.test/x' -X CONNECT -H 'Origin: https://b.test'", /method CONNECT is one no page can use/],
  ['a HAR that is not JSON', '{ "log": ', /the HAR is not JSON/],
  ['a HAR without entries', '{ "log": { "entries": [] } }', /the HAR has no entries/],
  [
    'a HAR with a broken header',
    '{ "log": { "entries": [{ "request": { "method": "GET", "url": "https://a.test/", "headers": [1] }, "response": {} }] } }',
    /log\.entries\[0\]\.request\.headers\[0\] is not a \{name, value\} header/,
  ],
];

for (const [title, text, message] of HOSTILE) {
  test(`refused, naming the part and the fix: ${title}`, () => {
    expect(() => readCapture(text)).toThrow(CaptureError);
    expect(() => readCapture(text)).toThrow(message);
  });
}

test('a secret is never repeated in a refusal', () => {
  let message = '';
  try {
    readCapture("curl 'https://a.test/x' -H 'Authorization Bearer s3cr3t' -H 'Origin: https://b.test'");
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/header number 1 \(-H\) has no "Name: value" form/);
  expect(message).not.toContain('s3cr3t');
});

test('a capture larger than the limit is refused before it is read', () => {
  expect(() => parseCapture(`fetch("https://a.test/${'x'.repeat(MAX_CAPTURE_BYTES)}")`)).toThrow(/larger than 32 MB/);
  expect(() => parseCapture('fetch("https://a.test/x")', '0')).toThrow(/--entry chooses an entry of a HAR file/);
});

test('the command line around a capture: what it already gives is refused beside it, and --entry needs --from', async () => {
  const rt = { browsers: { source: 'auto' as const } };
  const url = 'http://127.0.0.1:9/api/items';
  await expect(runExplain({ from: '-', url, method: 'PUT' }, rt)).rejects.toThrow(/--from: the capture gives the request; leave out the URL, --method/);
  await expect(runExplain({ entry: '1', url, origin: 'https://a.test' }, rt)).rejects.toThrow(/--entry chooses an entry of a HAR given with --from/);
  await expect(runExplain({ from: '/nonexistent/capture.har' }, rt)).rejects.toThrow(/--from \/nonexistent\/capture\.har: cannot read it \(ENOENT\)/);
  await expect(runExplain({ from: '/', framework: 'express' }, rt)).rejects.toThrow(/--from \/: not a file/);
  await expect(runExplain({ url, origin: 'https://a.test', framework: 'rails' }, rt)).rejects.toThrow(/--framework rails: use one of/);
});

test('no control character of a capture reaches a message: options, methods and URLs are quoted or serialized', () => {
  let message = '';
  try {
    readCapture("curl 'https://a.test/x' $'-\\x1b[2J'");
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/option "-\\u001b\[2J" is not one/);
  expect(message).not.toContain('\x1b');
  const entry = (url: string) => ({
    request: { method: 'GET', url, headers: [{ name: 'Origin', value: 'https://p.test' }] },
    response: { status: 200, headers: [] },
  });
  const har = JSON.stringify({ log: { entries: [entry('https://a.test/\x1b[2Jx'), entry('https://b.test/y')] } });
  expect(() => parseCapture(har)).toThrow(/0: GET https:\/\/a\.test\/%1B\[2Jx/);
});
