// Which characters a page's host can carry in each engine, measured (docs/host-characters.md).
// For every candidate of grade/search/host-characters.ts, grading's own probe path (pipeline/probe-run.ts) opens the probe
// page on `https://app.example.com<c>.evil.test` through the virtual-origin proxy, and the
// page fetches the target route, here a local server answering `Access-Control-Allow-Origin: *`;
// the proxy's exchange log gives the Origin header. A tap in front of the proxy notes the
// authority the browser named in its CONNECT line (or absolute-form request line), and
// percent-encodes there the bytes Node's HTTP parser cannot read, so that what the engine
// does is measured, not the proxy's parser. The page opener (pipeline/pages.ts) insists that
// the page's origin is the string asked for: when the engine serializes it differently ("the
// page opened on …"), the probe runs again from the engine's own form. Node's WHATWG URL
// parser is asked too. Writes the table (grade/search/host-characters.json, or --out), then on
// stderr the characters to use and what differs from the stored table. Only a run over https
// in all three engines can replace the stored table; another run prints its table unless
// --out names a file.
//
//   npx tsx scripts/measure-host-characters.ts [--engines chromium,firefox,webkit] [--scheme http] [--out <file>]
import { renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { browserChoiceFrom, launchEngine, type Engine } from '../engines/index.ts';
import { wantedEngines } from '../engines/selection.ts';
import {
  HOST_CHARACTER_INPUTS,
  HOST_CHARACTERS_FILE,
  type HostCharacterTable,
  hostCharactersFor,
  hostPart,
  hostUrl,
  type EngineHostResult,
  type HostCharacterInput,
  type MeasuredHostCharacter,
  readHostCharacters,
} from '../grade/search/host-characters.ts';
import { ENGINE_IDS } from '../model/results.ts';
import { TARGET_ORIGIN } from '../model/virtual-origins.ts';
import type { EngineInfo } from '../model/results.ts';
import { PROBE_TOKEN_PARAM } from '../model/wire.ts';
import { runProbes, type ProbeRecord } from '../pipeline/probe-run.ts';
import { startProxy, type ProxyRoute, type VirtualOriginProxy } from '../servers/proxy.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const scheme = arg('--scheme') === 'http' ? 'http:' : 'https:';
const engineIds = wantedEngines(arg('--engines'));
/** Only a full measurement (https, every engine) has the shape of the stored table. */
const full = scheme === 'https:' && ENGINE_IDS.every((id) => engineIds.includes(id));
const outFile = arg('--out') ?? (full ? HOST_CHARACTERS_FILE : null);

/** The target: answers every request with `Access-Control-Allow-Origin: *`. */
async function startEcho(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Bytes Node's HTTP parser refuses in a request target (it drops the connection without an
 *  answer): controls, space and these. The tap percent-encodes them, and the proxy's URL
 *  parser decodes them again. */
const UNREADABLE = '"#<>\\^`{|}\x7f';
const unreadable = (ch: string) => ch <= ' ' || UNREADABLE.includes(ch);
const escapeUnreadable = (s: string) => [...s].map((ch) => (unreadable(ch) ? `%${ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}` : ch)).join('');

/** Sits between the browsers and the proxy and notes, as the browser wrote it, the target of
 *  every request line it can read (CONNECT authorities, absolute-form http requests), with
 *  whether it had to escape bytes of it for the proxy's parser (the proxy as it is would
 *  have dropped that connection). */
interface Tap {
  port: number;
  /** Request targets since the last reset, as the browser wrote them. */
  seen: Array<{ target: string; escaped: boolean }>;
  /** Every host escaped so far in this browser: it reuses its tunnel to a host it has met. */
  escaped: Set<string>;
  close(): void;
}

async function startTap(proxyPort: number): Promise<Tap> {
  const seen: Array<{ target: string; escaped: boolean }> = [];
  const escaped = new Set<string>();
  const server = net.createServer((client) => {
    const upstream = net.connect(proxyPort, '127.0.0.1');
    let tunnelled = false;
    client.on('data', (chunk: Buffer) => {
      if (tunnelled) return void upstream.write(chunk);
      const text = chunk.toString('latin1').replace(/^([A-Z]+) (.+) (HTTP\/1\.[01])\r$/gm, (_line, method: string, target: string, version: string) => {
        const authority = method === 'CONNECT' ? target : (/^[a-z]+:\/\/(?:[^/@]*@)?([^/]*)/i.exec(target)?.[1] ?? target);
        const needed = [...authority].some(unreadable);
        seen.push({ target: authority, escaped: needed });
        if (needed) escaped.add(authority.replace(/:\d+$/, ''));
        if (method === 'CONNECT') tunnelled = true;
        return `${method} ${method === 'CONNECT' ? escapeUnreadable(target) : target.replace(authority, escapeUnreadable(authority))} ${version}\r`;
      });
      upstream.write(Buffer.from(text, 'latin1'));
    });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen, escaped, close: () => server.close() };
}

function nodeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** One probe from `pageOrigin`: a GET to the target, recorded through grading's probe path. */
async function probeFrom(engine: Engine, proxy: VirtualOriginProxy, pageOrigin: string, id: string): Promise<ProbeRecord<null>> {
  let record: ProbeRecord<null> | undefined;
  await runProbes(
    engine,
    [
      {
        subject: null,
        id,
        pageOrigin,
        opaque: null,
        url: (token) => `${TARGET_ORIGIN}/echo?${PROBE_TOKEN_PARAM}=${token}`,
        request: { method: 'GET', headers: [], body: null, credentials: 'omit', mode: 'cors', redirect: 'follow' },
        prior: [],
        readHeaders: [],
      },
    ],
    {
      runId: 'hostchars',
      proxy,
      cookieOrigins: [],
      timeoutMs: 10_000,
      onRecords: (records) => {
        record = records[0];
      },
    },
  );
  if (!record) throw new Error(`no record for ${pageOrigin}`);
  return record;
}

async function measureEngine(
  engine: Engine,
  proxy: VirtualOriginProxy,
  tap: Tap,
  routes: Map<string, ProxyRoute>,
  c: HostCharacterInput,
  index: number,
): Promise<EngineHostResult> {
  const url = hostUrl(c, scheme);
  tap.seen.length = 0;
  let record = await probeFrom(engine, proxy, url, `c${index}`);
  const failure = record.observed.ok ? null : record.observed.failure.error;
  // The engine opened the page on its own serialization of the origin: run again from there.
  const openedOn = failure ? /the page opened on (.+)$/.exec(failure)?.[1] : undefined;
  if (openedOn) {
    const origin = nodeOrigin(openedOn);
    if (origin && !routes.has(origin)) {
      routes.set(origin, { origin, upstream: null, probePage: true });
      await proxy.setRoutes([...routes.values()]);
    }
    record = await probeFrom(engine, proxy, openedOn, `c${index}-again`);
  }
  const wire = record.observed.ok ? record.observed.merged.actual[0] : undefined;
  const origin = wire?.requestHeaders.find(([n]) => n.toLowerCase() === 'origin')?.[1] ?? null;
  const sentAs = origin === null ? null : hostPart(c, origin);
  const mine = tap.seen.filter((a) => /example\.com|evil\.test/i.test(a.target));
  const connect = [...new Set(mine.map((a) => a.target))].join(' ');
  // The engine's or the page opener's own words, without what changes between runs.
  const words = (e: string) => e.replace(`could not open ${url}: `, '').replace(/^page\.\w+: |^WebDriver \w+ \S+: (javascript error: )?/, '');
  const note = record.observed.ok ? (wire ? null : 'the fetch never reached the target') : words(record.observed.failure.error);
  if (origin !== null && sentAs !== null) {
    const proxyAsIs = !mine.some((a) => a.escaped) && !tap.escaped.has(origin.replace(/^[a-z]+:\/\//, ''));
    return { accepted: true, sentAs, origin, asWritten: openedOn === undefined, proxyAsIs };
  }
  return {
    accepted: false,
    sentAs: null,
    origin,
    // Did the engine take the whole host to the proxy (then the proxy refused it), or not?
    refusedBy: mine.some((a) => hostPart(c, a.target.replace(/:\d+$/, '')) !== null) ? 'proxy' : 'engine',
    ...(connect ? { connect } : {}),
    note: openedOn ? `the page opened on ${openedOn}${note ? `; then ${note}` : ''}` : (note ?? 'no Origin header'),
  };
}

/** What a re-measurement compares with the stored table (not the engines' wording). */
const verdict = (r: EngineHostResult | undefined) => JSON.stringify(r ? (r.accepted ? [r.sentAs, r.asWritten, r.proxyAsIs] : [r.refusedBy]) : null);

async function main(): Promise<void> {
  const started = Date.now();
  const echo = await startEcho();
  const proxy = await startProxy([]);
  const tap = await startTap(proxy.port);
  const routes = new Map<string, ProxyRoute>([[TARGET_ORIGIN, { origin: TARGET_ORIGIN, upstream: echo.url, probePage: false, rewriteHost: true }]]);
  // Every candidate Node can parse gets a route: the proxy keys routes by Node's origin.
  for (const c of HOST_CHARACTER_INPUTS) {
    const origin = nodeOrigin(hostUrl(c, scheme));
    if (origin && !routes.has(origin)) routes.set(origin, { origin, upstream: null, probePage: true });
  }
  await proxy.setRoutes([...routes.values()]);
  const rows: MeasuredHostCharacter[] = HOST_CHARACTER_INPUTS.map((c) => {
    const origin = nodeOrigin(hostUrl(c, scheme));
    const sentAs = origin === null ? null : hostPart(c, origin);
    return { ...c, node: { accepted: sentAs !== null, sentAs, origin }, engines: {} };
  });
  const engines: EngineInfo[] = [];
  try {
    for (const id of engineIds) {
      const t0 = Date.now();
      tap.escaped.clear();
      const engine = await launchEngine(id, {
        proxy: { url: `http://127.0.0.1:${tap.port}`, host: '127.0.0.1', port: tap.port },
        browsers: browserChoiceFrom(process.env),
      });
      try {
        for (const [i, c] of HOST_CHARACTER_INPUTS.entries()) {
          const row = rows[i] as MeasuredHostCharacter;
          row.engines[id] = await measureEngine(engine, proxy, tap, routes, c, i);
        }
        engines.push(engine.info);
        console.error(`${id}: ${Math.round((Date.now() - t0) / 1000)} s`);
      } finally {
        await engine.close();
      }
    }
  } finally {
    tap.close();
    await proxy.close();
    echo.close();
  }
  const measured = {
    scheme,
    node: process.version,
    engines: Object.fromEntries(engines.map((e) => [e.id, `${e.name} ${e.version} (${e.driver})`])),
    date: new Date().toISOString().slice(0, 10),
  };
  // What the stored table said, to compare with, read before it is replaced.
  let before: HostCharacterTable | null = null;
  try {
    before = readHostCharacters();
  } catch (err) {
    console.error(`no stored table to compare with: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = `${JSON.stringify({ measured, characters: rows }, null, 2)}\n`;
  if (outFile) {
    // The stored table is replaced only by one that reads back as the loader checks it.
    const tmp = `${outFile}.${process.pid}`;
    writeFileSync(tmp, text);
    if (outFile === HOST_CHARACTERS_FILE) readHostCharacters(tmp);
    renameSync(tmp, outFile);
    console.error(`written: ${outFile} (${Math.round((Date.now() - started) / 1000)} s)`);
  } else {
    console.log(text);
    console.error(`not written: only a run over https in ${ENGINE_IDS.join(', ')} replaces ${HOST_CHARACTERS_FILE}; --out <file> writes this one`);
  }
  console.error(`accepted by at least one engine: ${hostCharactersFor(engineIds, { table: rows }).join(' ')}`);
  console.error(`of these, served by the proxy as it is: ${hostCharactersFor(engineIds, { table: rows, proxyAsIs: true }).join(' ')}`);
  if (scheme === 'https:') {
    for (const row of rows) {
      const stored = before?.characters.find((h) => h.input === row.input);
      for (const id of engineIds) {
        const [now, then] = [row.engines[id], stored?.engines[id]];
        if (verdict(now) !== verdict(then)) console.error(`changed: ${row.input} in ${id}: ${JSON.stringify(then ?? null)} -> ${JSON.stringify(now ?? null)}`);
      }
    }
  }
}

await main();
