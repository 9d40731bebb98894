// Recorded observations: what a real engine's pages and the proxy's log gave for each probe of
// a grading, kept so that everything after the browser (merging the two witnesses, observing,
// judging, root causes, the cookie policy, the outputs) can be tested again without one.
//
// A recording is made by grading through a recording session (the real engines and proxy,
// with every page result, console line and exchange kept as it passes), and played back by a
// replay session: the same grade() against the same real target server (its setup check and
// the OPTIONS check are plain HTTP, so they run for real), with the origin search as planned
// when recorded (its screen's answers depend on how busy the machine was, never on an
// engine), where each page answers from the recording instead of a browser. A probe the
// recording does not hold is an error that says to record again: the recordings follow the
// battery, never the other way round.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Engine, EnginePage, RunOutput } from '../../engines/types.ts';
import type { Header } from '../../model/case.ts';
import type { Probe, ProbeResult } from '../../model/probe.ts';
import type { EngineId, EngineInfo } from '../../model/results.ts';
import { PROBE_TOKEN_PARAM, type WireExchange } from '../../model/wire.ts';
import type { GradeSession } from '../../pipeline/session.ts';
import type { ProxyRoute, VirtualOriginProxy } from '../../servers/proxy.ts';
import type { SearchPlan } from '../../grade/search/search.ts';

export const RECORDING_SCHEMA = 'cors-conformance/recording@1';

/** Where the recordings live: one folder per engine, one file per scenario. */
export const RECORDED_DIR = new URL('../fixtures/recorded/', import.meta.url);

export function recordingFile(engine: EngineId, scenario: string): string {
  return new URL(`${engine}/${scenario}.json`, RECORDED_DIR).pathname;
}

/** How the probe page opened on an origin: where it ended up, or why it did not. */
type RecordedOpen = { pageOrigin: string } | { error: string };

interface RecordedPage {
  open: RecordedOpen;
  frameOrigins: Record<string, string>;
}

/** A page the recording does not list opened on its own origin, with no opaque frame. */
function pageOf(rec: Recording, origin: string): RecordedPage {
  return rec.pages[origin] ?? { open: { pageOrigin: origin }, frameOrigins: {} };
}

const plain = ([origin, p]: [string, RecordedPage]) => 'pageOrigin' in p.open && p.open.pageOrigin === origin && !Object.keys(p.frameOrigins).length;

/** One probe in one engine: the page's result (or why its batch failed), the browser's console
 *  lines that name it, and what the proxy saw for it. `{token}` stands for its token. */
export interface RecordedProbe {
  page: Omit<ProbeResult, 'id'> | { error: string };
  console: string[];
  wire: WireExchange[];
}

export interface Recording {
  schema: typeof RECORDING_SCHEMA;
  scenario: string;
  engine: EngineInfo;
  consoleMessages: boolean;
  /** The origin search as planned when recorded (its screen over HTTP), which a replay grades
   *  with: what the screen saw is the target's answers, not the engine's. null: graded without it. */
  search: SearchPlan | null;
  /** By page origin, where it is not the plain case (the probe page opened on that origin,
   *  no opaque frame): how it opened, and the origins its opaque frames reported. */
  pages: Record<string, RecordedPage>;
  /** By probe id. */
  probes: Record<string, RecordedProbe>;
}

const TOKEN = '{token}';
const PROBE_PAGE = '/__cc/probe.html';

function tokenOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get(PROBE_TOKEN_PARAM);
  } catch {
    return null;
  }
}

/** `value` with every occurrence of `from` replaced, through its JSON form (strings anywhere in it). */
function replaced<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).split(from).join(to)) as T;
}

/** Headers that say nothing about CORS, the same on every request of an engine or every
 *  response of a server, or different on each run (Date): grading never reads them, and a
 *  recording leaves them out. */
const CHATTER = new Set([
  'user-agent',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'accept-encoding',
  'accept-language',
  'connection',
  'keep-alive',
  'priority',
  'date',
  'etag',
  'x-powered-by',
]);

const meaningful = (headers: readonly Header[]) => headers.filter(([n]) => !CHATTER.has(n.toLowerCase()));

/** An exchange without what changes from run to run without meaning anything: the time, the
 *  log's sequence, the chatter. */
function stableExchange(e: WireExchange): WireExchange {
  return { ...e, seq: 0, at: 0, requestHeaders: meaningful(e.requestHeaders), responseHeaders: meaningful(e.responseHeaders) };
}

/** The page's result without how long it took, and without its id (the recording's key). */
function stableResult(r: ProbeResult): Omit<ProbeResult, 'id'> {
  const { id: _id, ...rest } = r;
  return { ...rest, prior: r.prior.map((o) => ({ ...o, elapsedMs: 0 })), final: { ...r.final, elapsedMs: 0 } };
}

/** The origin a probe page is opened for, exactly as the pipeline wrote it (`<origin>/__cc/probe.html`):
 *  not as the URL parser would serialize it, since the page's own origin is compared with it. */
function originOf(url: string): string | null {
  return url.endsWith(PROBE_PAGE) ? url.slice(0, -PROBE_PAGE.length) : null;
}

/** An error's first line, without what names this run (a WebDriver session's id). */
function stableError(err: unknown, otherwise: string): string {
  const line = (err instanceof Error ? err.message : String(err)).split('\n')[0] || otherwise;
  return line.replace(/\/session\/[0-9a-f-]+/g, '/session/{session}');
}

/** Sorted by key, so that a recording made again diffs line by line. */
function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A grading session that keeps what passes through it: each engine's page results and console
 * lines, and the proxy's exchanges, by probe. `take()` hands out one recording per engine of
 * everything graded since the last call.
 */
export function recordingSession(session: GradeSession): GradeSession & { take(scenario: string): Recording[] } {
  const byToken = new Map<string, { engine: EngineId; id: string }>();
  const state = new Map<EngineId, { pages: Map<string, RecordedPage>; probes: Map<string, RecordedProbe> }>();
  const of = (engine: EngineId) => {
    const s = state.get(engine) ?? { pages: new Map(), probes: new Map() };
    state.set(engine, s);
    return s;
  };

  const recordingPage = (engine: EngineId, page: EnginePage): EnginePage => {
    let origin: string | null = null;
    let opening = false;
    return {
      goto: async (url) => {
        origin = originOf(url);
        opening = origin !== null;
        try {
          await page.goto(url);
        } catch (err) {
          if (origin) of(engine).pages.set(origin, { open: { error: stableError(err, 'navigation failed') }, frameOrigins: {} });
          throw err;
        }
      },
      run: async (probes, options) => {
        const s = of(engine);
        let out: RunOutput;
        try {
          out = await page.run(probes, options);
        } catch (err) {
          const error = stableError(err, 'probe run failed');
          // The probe page's first, empty run failed: the page did not open (no probe runtime there).
          if (origin && opening) s.pages.set(origin, { open: { error }, frameOrigins: {} });
          opening = false;
          for (const p of probes) keep(engine, p, { page: { error }, console: [], wire: [] });
          throw err;
        }
        if (origin && opening) {
          // The probe page's first, empty run says where the navigation ended up.
          s.pages.set(origin, { open: { pageOrigin: out.pageOrigin }, frameOrigins: {} });
          opening = false;
        }
        if (origin && probes.length) {
          const entry = s.pages.get(origin);
          if (entry) entry.frameOrigins = { ...entry.frameOrigins, ...out.frameOrigins };
        }
        const results = new Map(out.results.map((r) => [r.id, r]));
        for (const p of probes) {
          const r = results.get(p.id);
          const token = tokenOf(p.fetch.url);
          const lines = token ? out.console.filter((l) => l.includes(token)) : [];
          keep(engine, p, { page: r ? stableResult(r) : { error: 'the page returned no result for this probe' }, console: lines, wire: [] });
        }
        return out;
      },
      close: () => page.close(),
    };
  };

  const keep = (engine: EngineId, p: Probe, rec: RecordedProbe) => {
    const token = tokenOf(p.fetch.url);
    if (token) byToken.set(token, { engine, id: p.id });
    of(engine).probes.set(p.id, token ? replaced(rec, token, TOKEN) : rec);
  };

  const engines: Engine[] = session.engines.map((e) => ({
    info: e.info,
    consoleMessages: e.consoleMessages,
    concurrentPages: e.concurrentPages,
    newPage: async () => recordingPage(e.info.id, await e.newPage()),
    close: () => e.close(),
  }));

  const proxy: VirtualOriginProxy = {
    ...session.proxy,
    setRoutes: (routes) => session.proxy.setRoutes(routes),
    takeExchanges: (tokens) => {
      const taken = session.proxy.takeExchanges(tokens);
      for (const [token, list] of taken) {
        const at = byToken.get(token);
        const rec = at ? state.get(at.engine)?.probes.get(at.id) : undefined;
        if (rec) rec.wire = replaced(list.map(stableExchange), token, TOKEN);
      }
      return taken;
    },
  };

  return {
    proxy,
    engines,
    close: () => session.close(),
    take: (scenario) => {
      const out = session.engines.map(
        (e): Recording => ({
          schema: RECORDING_SCHEMA,
          scenario,
          engine: e.info,
          consoleMessages: e.consoleMessages,
          search: null,
          pages: sortedRecord([...of(e.info.id).pages].filter((p) => !plain(p))),
          probes: sortedRecord(of(e.info.id).probes),
        }),
      );
      state.clear();
      byToken.clear();
      return out;
    },
  };
}

export function writeRecording(r: Recording): string {
  const file = recordingFile(r.engine.id, r.scenario);
  mkdirSync(dirname(file), { recursive: true });
  // One probe per line: a new recording diffs probe by probe.
  const probes = Object.entries(r.probes).map(([id, p]) => `  ${JSON.stringify(id)}: ${JSON.stringify(p)}`);
  const head = JSON.stringify(
    { schema: r.schema, scenario: r.scenario, engine: r.engine, consoleMessages: r.consoleMessages, search: r.search, pages: r.pages },
    null,
    1,
  );
  writeFileSync(file, `${head.slice(0, -2)},\n "probes": {\n${probes.join(',\n')}\n }\n}\n`);
  return file;
}

export function readRecording(engine: EngineId, scenario: string): Recording {
  const file = recordingFile(engine, scenario);
  let r: Recording;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Recording;
  } catch (err) {
    throw new Error(`no recording ${file} (${(err as Error).message.split('\n')[0]}); record it with \`npm run record\``);
  }
  if (r.schema !== RECORDING_SCHEMA) throw new Error(`${file}: schema ${r.schema}, expected ${RECORDING_SCHEMA}; record it again with \`npm run record\``);
  return r;
}

const TARGET = '{target}';

/** A search plan without what changes from run to run: how long its steps took, its exchanges'
 *  times, the target server's port (`{target}` stands for its origin). */
export function stablePlan(plan: SearchPlan, target: string): SearchPlan {
  const stable = {
    ...plan,
    summary: { ...plan.summary, ms: { generate: 0, screen: 0, confirm: 0 }, perSecond: 0 },
    unreachable: plan.unreachable.map((f) => ({ ...f, evidence: f.evidence.map(stableExchange) })),
  };
  return replaced(stable, new URL(target).origin, TARGET);
}

/** A recorded search plan for the target server started now. */
export function planOn(plan: SearchPlan, target: string): SearchPlan {
  return replaced(plan, TARGET, new URL(target).origin);
}

/** A session that plays recordings back: one engine per recording, no browser, no proxy. */
export interface ReplaySession extends GradeSession {
  /** The routes grade() last gave the proxy. */
  routes: ProxyRoute[];
  /** Probes graded that the recordings do not hold: the recordings are older than the battery. */
  missing: string[];
}

export function replaySession(recordings: readonly Recording[]): ReplaySession {
  const live = new Map<string, { recording: Recording; id: string }>();
  const missing: string[] = [];

  const replayPage = (rec: Recording): EnginePage => {
    let origin: string | null = null;
    return {
      goto: async (url) => {
        origin = originOf(url);
        const open = origin ? pageOf(rec, origin).open : undefined;
        if (open && 'error' in open) throw new Error(open.error);
      },
      run: async (probes) => {
        const page = origin ? pageOf(rec, origin) : null;
        const results: ProbeResult[] = [];
        const console: string[] = [];
        for (const p of probes) {
          const token = tokenOf(p.fetch.url) ?? '';
          const recorded = rec.probes[p.id];
          if (!recorded) {
            missing.push(`${rec.engine.id}: ${p.id}`);
            throw new Error(`the recording ${recordingFile(rec.engine.id, rec.scenario)} has no probe ${p.id}; record again with \`npm run record\``);
          }
          live.set(token, { recording: rec, id: p.id });
          const r = replaced(recorded, TOKEN, token);
          if ('error' in r.page) throw new Error(r.page.error);
          results.push({ id: p.id, ...r.page });
          console.push(...r.console);
        }
        return {
          results,
          pageOrigin: page && 'pageOrigin' in page.open ? page.open.pageOrigin : (origin ?? ''),
          frameOrigins: page?.frameOrigins ?? {},
          userAgent: rec.engine.userAgent ?? '',
          console,
        };
      },
      close: async () => {},
    };
  };

  const engines: Engine[] = recordings.map((rec) => ({
    info: rec.engine,
    consoleMessages: rec.consoleMessages,
    concurrentPages: true,
    newPage: async () => replayPage(rec),
    close: async () => {},
  }));

  const session: ReplaySession = {
    routes: [],
    missing,
    engines,
    proxy: {
      port: 0,
      url: 'http://replay.invalid',
      certificateDir: '',
      certificateNames: () => [],
      sessionKey: 'replay',
      setRoutes: async (routes) => {
        session.routes = routes;
      },
      takeExchanges: (tokens) =>
        new Map(
          tokens.map((token) => {
            const at = live.get(token);
            const wire = at ? (at.recording.probes[at.id]?.wire ?? []) : [];
            return [token, replaced(wire, TOKEN, token)];
          }),
        ),
      refused: () => ({}),
      close: async () => {},
    },
    close: async () => {},
  };
  return session;
}
