// The browser's own reason for a block: which console lines are one, in each engine's
// wording (lines as the engines wrote them on this project's machines), and the WebKit
// console client's half of the remote inspector protocol, against a stand-in server.
import { test, expect } from '@playwright/test';
import { createServer, type Server, type Socket } from 'node:net';
import { BROWSER_BLOCK_LINE, browserBlockLine } from '../../model/results.ts';
import { mergeObservation } from '../../pipeline/merge.ts';
import { connectInspectorConsole, consoleLine, parseTargetList } from '../../engines/webkit-inspector.ts';
import type { ProbeResult } from '../../model/probe.ts';

const URL_A = 'http://b.test/x?cc_probe=run1.firefox.tokA&status=200';

const CHROMIUM =
  "Access to fetch at 'http://b.test/x?cc_probe=run1.chromium.tokA&status=200' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const CHROMIUM_REFUSED = 'Fetch API cannot load https://b.test/m?cc_probe=run1.chromium.tokB. Request mode is "no-cors" but the redirect mode is not "follow".';
const FIREFOX = `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_A}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.`;
const WEBKIT_JS =
  'http://a.test/__cc/probe.js:18:30: CONSOLE JS ERROR Fetch API cannot load http://b.test/x?cc_probe=run1.webkit.tokA due to access control checks.';
const WEBKIT_NETWORK =
  'http://b.test/x?cc_probe=run1.webkit.tokA: CONSOLE NETWORK ERROR Failed to load resource: Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200';
const WEBKIT_PREFLIGHT =
  'http://b.test/x?cc_probe=run1.webkit.tokC: CONSOLE NETWORK ERROR Failed to load resource: Preflight response is not successful. Status code: 403';
const WEBKIT_404 = 'http://b.test/favicon.ico: CONSOLE NETWORK ERROR Failed to load resource: the server responded with a status of 404 (Not Found)';

test('Chromium’s network log names its CORS error where its console says nothing, and ranks after a console line', () => {
  const log = 'Chromium network log: http://user:pass@a.test/r?cc_probe=t: blocked origin';
  const cors = 'Chromium network log: http://b.test/r?cc_probe=t: CORS error RedirectContainsCredentials (net::ERR_FAILED)';
  expect(BROWSER_BLOCK_LINE.test(log)).toBe(true);
  expect(BROWSER_BLOCK_LINE.test(cors)).toBe(true);
  expect(BROWSER_BLOCK_LINE.test('Chromium network log: http://b.test/r: (net::ERR_FAILED)')).toBe(false);
  expect(browserBlockLine([cors, CHROMIUM])).toBe(CHROMIUM);
  expect(browserBlockLine([cors])).toBe(cors);
});

test('each engine’s blocking line is recognised, and an ordinary failed load is not', () => {
  for (const line of [CHROMIUM, CHROMIUM_REFUSED, FIREFOX, WEBKIT_JS, WEBKIT_NETWORK, WEBKIT_PREFLIGHT]) expect(line).toMatch(BROWSER_BLOCK_LINE);
  expect(WEBKIT_404).not.toMatch(BROWSER_BLOCK_LINE);
  expect('TypeError: NetworkError when attempting to fetch resource.').not.toMatch(BROWSER_BLOCK_LINE);
  expect('TypeError: Load failed').not.toMatch(BROWSER_BLOCK_LINE);
});

test('the reason is the line that names one: WebKit’s network message, not its bare “access control checks” line', () => {
  expect(browserBlockLine([WEBKIT_404, WEBKIT_JS, WEBKIT_NETWORK])).toBe(WEBKIT_NETWORK);
  expect(browserBlockLine([WEBKIT_JS])).toBe(WEBKIT_JS);
  expect(browserBlockLine([FIREFOX, 'Cross-Origin Request Blocked: … (Reason: CORS request did not succeed). Status code: (null).'])).toBe(FIREFOX);
  expect(browserBlockLine([WEBKIT_404])).toBeNull();
});

// The element initiators' lines (tests/initiators/elements.spec.ts), exactly as each engine
// wrote them on this project's machine: Chromium 156, Firefox ESR 153, WebKitGTK 2.50.
const ELEMENT_LINES = {
  chromium: [
    "Access to image at 'http://b.test/element?status=200&asset=png&cc_probe=mx3nitg30568adb.chromium.eDqwwhvtHTlEqGWD' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    "Access to image at 'http://b.test/element?status=200&header=Access-Control-Allow-Origin%3A*&asset=png&cc_probe=mx3nitg30568adb.chromium.Ha6LniBTRJqJIRyN' from origin 'http://a.test' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    "Access to script at 'http://b.test/element?status=200&asset=classic-script&cc_probe=mx3nitg30568adb.chromium.KoVfgzH047M7uZFY' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    "Access to CSS stylesheet at 'http://b.test/element?status=200&asset=stylesheet&cc_probe=mx3nitg30568adb.chromium.Gn_X90F2skur1neG' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    "Access to font at 'http://b.test/element?status=200&asset=font&cc_probe=mx3nitg30568adb.chromium.-8ZCPBuL8-NIevRO' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    "Access to video at 'http://b.test/element?status=200&asset=video&cc_probe=mx3nitg30568adb.chromium.P8-VTWAToYjLluld' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    "Access to audio at 'http://b.test/element?status=200&asset=audio&cc_probe=mx3nitg30568adb.chromium.ZLM91YS1dVlmypeE' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
  ],
  firefox: [
    'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.test/element?status=200&asset=png&cc_probe=mx3nizxd02f0b62.firefox.eDqwwhvtHTlEqGWD. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.',
    'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://b.test/element?status=200&header=Access-Control-Allow-Origin%3A*&asset=png&cc_probe=mx3nizxd02f0b62.firefox.Ha6LniBTRJqJIRyN’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).',
    'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.test/element?status=200&asset=font&cc_probe=mx3nizxd02f0b62.firefox.-8ZCPBuL8-NIevRO. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.',
  ],
  webkit: [
    'http://b.test/element?status=200&asset=png&cc_probe=mx3ninf90058d43.webkit.eDqwwhvtHTlEqGWD: CONSOLE NETWORK ERROR Failed to load resource: Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200',
    'http://b.test/element?status=200&header=Access-Control-Allow-Origin%3A*&asset=png&cc_probe=mx3ninf90058d43.webkit.Ha6LniBTRJqJIRyN: CONSOLE NETWORK ERROR Failed to load resource: Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.',
  ],
};
const WEBKIT_IMAGE_SECURITY =
  'CONSOLE SECURITY ERROR Cannot load image http://b.test/element?status=200&asset=png&cc_probe=mx3ninf90058d43.webkit.eDqwwhvtHTlEqGWD due to access control checks.';
const FIREFOX_FONT_DOWNLOAD =
  'downloadable font: download failed (font-family: "cc-font-2-kmuapo" style:normal weight:400 stretch:100 src index:0): bad URI or cross-site access not allowed source: http://b.test/element?status=200&asset=font&cc_probe=mx3nizxd02f0b62.firefox.-8ZCPBuL8-NIevRO';

test('the element initiators’ blocking lines are recognised in each engine’s wording', () => {
  for (const line of [...ELEMENT_LINES.chromium, ...ELEMENT_LINES.firefox, ...ELEMENT_LINES.webkit, WEBKIT_IMAGE_SECURITY])
    expect(line).toMatch(BROWSER_BLOCK_LINE);
  // WebKit's image line names no reason: its network line, which does, is the reason.
  expect(browserBlockLine([WEBKIT_IMAGE_SECURITY, ELEMENT_LINES.webkit[0] as string])).toBe(ELEMENT_LINES.webkit[0]);
  expect(browserBlockLine([WEBKIT_IMAGE_SECURITY])).toBe(WEBKIT_IMAGE_SECURITY);
  // Firefox's font line may mean a bad URL as well: it is never the reason, the CORS line is.
  expect(FIREFOX_FONT_DOWNLOAD).not.toMatch(BROWSER_BLOCK_LINE);
  expect(browserBlockLine([FIREFOX_FONT_DOWNLOAD, ELEMENT_LINES.firefox[2] as string])).toBe(ELEMENT_LINES.firefox[2]);
  expect(browserBlockLine([FIREFOX_FONT_DOWNLOAD])).toBeNull();
});

function page(outcome: 'allowed' | 'blocked'): ProbeResult {
  return {
    id: 'p',
    prior: [],
    final: {
      outcome,
      status: outcome === 'allowed' ? 200 : null,
      type: null,
      readable: [],
      error: outcome === 'blocked' ? 'TypeError: Load failed' : null,
      elapsedMs: 1,
    },
  };
}

test('the merge keeps the probe’s own lines and gives a reason only for a block', () => {
  const other = WEBKIT_NETWORK.replaceAll('tokA', 'tokZ');
  const blocked = mergeObservation(page('blocked'), [], [other, WEBKIT_JS, WEBKIT_NETWORK], 'run1.webkit.tokA', null);
  expect(blocked.console).toEqual([WEBKIT_JS, WEBKIT_NETWORK]);
  expect(blocked.browserReason).toBe(WEBKIT_NETWORK);
  expect(mergeObservation(page('allowed'), [], [WEBKIT_NETWORK], 'run1.webkit.tokA', null).browserReason).toBeNull();
  expect(mergeObservation(page('blocked'), [], [other], 'run1.webkit.tokA', null).browserReason).toBeNull();
});

test('WebKit console messages read as WebKit prints them', () => {
  expect(
    consoleLine({
      source: 'network',
      level: 'error',
      text: 'Failed to load resource: Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200',
      url: 'http://b.test/x?cc_probe=run1.webkit.tokA',
      line: 0,
      column: 0,
    }),
  ).toBe(WEBKIT_NETWORK);
  expect(consoleLine({ source: 'javascript', level: 'error', text: 'x', url: 'http://a.test/__cc/probe.js', line: 18, column: 30 })).toBe(
    'http://a.test/__cc/probe.js:18:30: CONSOLE JS ERROR x',
  );
  expect(consoleLine({ source: 'security', level: 'warning', text: 'y', url: '' })).toBe('CONSOLE SECURITY WARN y');
});

/** A target list as WebKitGTK 2.50 sent it: connection 1, one page target (id 1, about:blank). */
const ONE_PAGE = Buffer.concat([
  Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
  Buffer.from('WebPage\0\0about:blank\0\0', 'latin1'),
  Buffer.from([0x1d, 0x11, 0x10, 0x21]),
]);

/** The same serialization with two targets (a page and the automation session). */
function twoTargets(): Buffer {
  const element = (id: number, strings: string[], flag: number): Buffer => {
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(BigInt(id));
    const parts = [head];
    const ends: number[] = [];
    let at = 8;
    for (const s of strings) {
      const b = Buffer.from(`${s}\0`, 'utf8');
      parts.push(b);
      at += b.length;
      ends.push(at);
    }
    parts.push(Buffer.from([flag, ...ends.reverse()]));
    return Buffer.concat(parts);
  };
  const first = element(1, ['WebPage', 'cors-conformance probe', 'http://a.test/__cc/probe.html'], 0);
  const pad = Buffer.alloc((8 - (first.length % 8)) % 8);
  const second = element(2, ['Automation', 'session', 'null'], 1);
  const ends = [first.length, first.length + pad.length + second.length];
  return Buffer.concat([Buffer.from([7, 0, 0, 0, 0, 0, 0, 0]), first, pad, second, Buffer.from(ends)]);
}

test('target lists are read from their GVariant form', () => {
  expect(parseTargetList(ONE_PAGE)).toEqual({ connection: 1n, targets: [{ id: 1n, type: 'WebPage', url: 'about:blank' }] });
  expect(parseTargetList(twoTargets())).toEqual({
    connection: 7n,
    targets: [
      { id: 1n, type: 'WebPage', url: 'http://a.test/__cc/probe.html' },
      { id: 2n, type: 'Automation', url: 'null' },
    ],
  });
  expect(parseTargetList(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0])).targets).toEqual([]);
});

function frame(name: string, parameters: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(`${name}\0`), parameters]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(body.length);
  header[4] = 1;
  return Buffer.concat([header, body]);
}

function toFrontend(message: object): Buffer {
  const ids = Buffer.alloc(16);
  ids.writeBigUInt64LE(1n, 0);
  ids.writeBigUInt64LE(1n, 8);
  return frame('SendMessageToFrontend', Buffer.concat([ids, Buffer.from(`${JSON.stringify(message)}\0`)]));
}

/** Plays the browser's inspector server: lists one page, and once set up, announces the
 *  page's web process target, answers Console.enable and reports one blocked fetch. */
function standInServer(seen: string[]): Server {
  return createServer((socket: Socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 5 && buffer.length >= 5 + buffer.readUInt32BE(0)) {
        const body = buffer.subarray(5, 5 + buffer.readUInt32BE(0));
        buffer = buffer.subarray(5 + body.length);
        const nul = body.indexOf(0);
        const name = body.subarray(0, nul).toString();
        const parameters = body.subarray(nul + 1);
        seen.push(name);
        if (name === 'SetupInspectorClient')
          socket.write(Buffer.concat([frame('DidSetupInspectorClient', Buffer.from([0])), frame('SetTargetList', ONE_PAGE)]));
        if (name === 'Setup') {
          expect([parameters.readBigUInt64LE(0), parameters.readBigUInt64LE(8)]).toEqual([1n, 1n]);
          socket.write(toFrontend({ method: 'Target.targetCreated', params: { targetInfo: { targetId: 'page-8', type: 'page' } } }));
        }
        if (name === 'SendMessageToBackend') {
          const outer = JSON.parse(parameters.subarray(16, parameters.length - 1).toString()) as { params: { targetId: string; message: string } };
          const inner = JSON.parse(outer.params.message) as { id: number; method: string };
          seen.push(`${outer.params.targetId} ${inner.method}`);
          const fromTarget = (m: object) =>
            toFrontend({ method: 'Target.dispatchMessageFromTarget', params: { targetId: 'page-8', message: JSON.stringify(m) } });
          socket.write(fromTarget({ result: {}, id: inner.id }));
          socket.write(
            fromTarget({
              method: 'Console.messageAdded',
              params: {
                message: {
                  source: 'network',
                  level: 'error',
                  text: 'Failed to load resource: Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200',
                  url: 'http://b.test/x?cc_probe=run1.webkit.tokA',
                  line: 0,
                  column: 0,
                },
              },
            }),
          );
        }
      }
    });
  });
}

test('the WebKit console client lists the page, attaches after the first navigation and turns messages into lines', async () => {
  const seen: string[] = [];
  const server = standInServer(seen);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const lines: string[] = [];
  const inspector = await connectInspectorConsole('127.0.0.1', address.port, (line) => lines.push(line));
  try {
    expect(seen).toEqual(['SetupInspectorClient']);
    await inspector.attach();
    await expect.poll(() => lines).toEqual([WEBKIT_NETWORK]);
    expect(seen).toEqual(['SetupInspectorClient', 'Setup', 'SendMessageToBackend', 'page-8 Console.enable']);
  } finally {
    inspector.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

// Lines of XMLHttpRequest, EventSource, sendBeacon and worker blocks, as the engines wrote them
// (tests/initiators/streams.spec.ts), with a short token.
const CHROMIUM_XHR =
  "Access to XMLHttpRequest at 'http://b.test/streams/xhr-no-acao?status=200&body=ok&cc_probe=run1.chromium.tokX' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const CHROMIUM_EVENTSOURCE =
  "Access to resource at 'http://b.test/streams/es-credentials-star?status=200&header=Access-Control-Allow-Origin%3A*&asset=event-stream&cc_probe=run1.chromium.tokE' from origin 'http://a.test' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
const CHROMIUM_WEBSOCKET =
  "WebSocket connection to 'ws://b.test/streams/ws-refused?status=403&header=Access-Control-Allow-Origin%3A*&body=no&cc_probe=run1.chromium.tokW' failed: Error during WebSocket handshake: Unexpected response code: 403";
const FIREFOX_CREDENTIALS =
  'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://b.test/streams/xhr-credentials-star?status=200&header=Access-Control-Allow-Origin%3A*&body=ok&cc_probe=run1.firefox.tokX’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).';
const FIREFOX_WORKER =
  'Security Error: Content at http://a.test/__cc/probe.html may not load data from http://b.test/streams/worker-top-level?status=200&header=Access-Control-Allow-Origin%3A*&asset=module-script&cc_probe=run1.firefox.tokK.';
const FIREFOX_NO_CONNECTION =
  'Firefox can’t establish a connection to the server at http://b.test/streams/es-no-acao?status=200&asset=event-stream&cc_probe=run1.firefox.tokE.';
const FIREFOX_XML =
  'XML Parsing Error: syntax error\nLocation: http://b.test/streams/xhr-acao-star?status=200&cc_probe=run1.firefox.tokX\nLine Number 1, Column 1:';
const WEBKIT_XHR =
  'CONSOLE JS ERROR XMLHttpRequest cannot load http://b.test/streams/xhr-no-acao?status=200&body=ok&cc_probe=run1.webkit.tokX due to access control checks.';
const WEBKIT_EVENTSOURCE =
  'CONSOLE JS ERROR EventSource cannot load http://b.test/streams/es-no-acao?status=200&asset=event-stream&cc_probe=run1.webkit.tokE due to access control checks.';
const WEBKIT_EVENTSOURCE_NETWORK =
  'http://b.test/streams/es-no-acao?status=200&asset=event-stream&cc_probe=run1.webkit.tokE: CONSOLE NETWORK ERROR Failed to load resource: Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200';
const WEBKIT_BEACON =
  'CONSOLE NETWORK ERROR Beacon API cannot load http://b.test/streams/beacon-json-refused?status=200&body=ok&cc_probe=run1.webkit.tokB. Preflight response is not successful. Status code: 404';
const WEBKIT_WEBSOCKET =
  "CONSOLE NETWORK ERROR WebSocket connection to 'ws://b.test/streams/ws-refused?status=403&header=Access-Control-Allow-Origin%3A*&body=no&cc_probe=run1.webkit.tokW' failed: The server did not accept the WebSocket handshake.";

test('the blocking lines of XMLHttpRequest, EventSource, sendBeacon and workers are recognised in each engine’s wording', () => {
  for (const line of [CHROMIUM_XHR, CHROMIUM_EVENTSOURCE, FIREFOX_CREDENTIALS, FIREFOX_WORKER, WEBKIT_XHR, WEBKIT_EVENTSOURCE, WEBKIT_BEACON]) {
    expect(line).toMatch(BROWSER_BLOCK_LINE);
  }
  // A refused WebSocket handshake, a failed connection and a parse error are no CORS blocks.
  for (const line of [CHROMIUM_WEBSOCKET, WEBKIT_WEBSOCKET, FIREFOX_NO_CONNECTION, FIREFOX_XML]) expect(line).not.toMatch(BROWSER_BLOCK_LINE);
});

test('WebKit’s XMLHttpRequest and EventSource lines name no reason: its network line is preferred, they stand in without one', () => {
  expect(browserBlockLine([WEBKIT_EVENTSOURCE, WEBKIT_EVENTSOURCE_NETWORK])).toBe(WEBKIT_EVENTSOURCE_NETWORK);
  expect(browserBlockLine([WEBKIT_XHR])).toBe(WEBKIT_XHR);
  expect(browserBlockLine([WEBKIT_BEACON])).toBe(WEBKIT_BEACON);
  expect(browserBlockLine([FIREFOX_NO_CONNECTION, FIREFOX_WORKER])).toBe(FIREFOX_WORKER);
});
