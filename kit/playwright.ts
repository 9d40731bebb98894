// The test kit for an API team's own Playwright tests (`import { test, expect } from
// 'cors-conformance/playwright'`): a `cors` fixture that makes a request from a page on any
// origin, in the engine of the current Playwright project, through the same proxy and probe
// path as grading and explain, and matchers on what that page could do:
//
//   await expect(cors.from('https://app.example.com').fetch('/api/items', { credentials: 'include' })).toBeReadable();
//   await expect(cors.from('https://evil.test').fetch('/api/items', { credentials: 'include' })).not.toBeReadable();
//
// A failure gives what explain gives: the engine's own reason, the Fetch standard's steps over
// the server's real response headers, and the smallest fix. Options (set in `use`):
// `corsTarget` (the server's base URL; default CORS_TARGET, else `baseURL`), `corsEngine` (default:
// the project's `browserName`), `corsBrowsers` (which builds run the engines; default CC_BROWSERS).
// `corsGate()` (kit/gate.ts) turns a whole policy into the gate's tests.
import { test as base, expect as baseExpect } from '@playwright/test';
import { browserChoiceFrom, type BrowserChoice } from '../engines/index.ts';
import { explain, type Explanation } from '../explain/explain.ts';
import { parseExplainArgs } from '../explain/request.ts';
import { ENGINE_IDS, type EngineId } from '../model/results.ts';
import { VERIFY_TLS, type TargetTls } from '../model/wire.ts';
import { explainText } from '../outputs/terminal.ts';
import { terminalText } from '../outputs/text.ts';
import { openGradeSession, type GradeSession } from '../pipeline/session.ts';
import { checkTargetAnswers } from '../pipeline/target.ts';

export { corsGate, corsProjects, type CorsGateOptions } from './gate.ts';

/** What a page's fetch() sends: a subset of RequestInit that a test states as data. */
export interface CorsInit {
  method?: string;
  headers?: Record<string, string> | Array<[string, string]>;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
}

/** One request from a page on one origin, made when a matcher (or `explain()`) asks for it. */
export class CorsRequest {
  readonly #run: () => Promise<Explanation>;
  #result: Promise<Explanation> | null = null;
  constructor(
    readonly origin: string,
    readonly url: string,
    readonly init: CorsInit,
    run: () => Promise<Explanation>,
  ) {
    this.#run = run;
  }
  /** What the engine did and said, the standard's steps and the smallest fix (made once). */
  explain(): Promise<Explanation> {
    this.#result ??= this.#run();
    return this.#result;
  }
}

export interface CorsPage {
  /** A fetch() from this origin's page; `path` is appended to `corsTarget` (an absolute URL is used as given). */
  fetch(path: string, init?: CorsInit): CorsRequest;
}

export interface Cors {
  /** A page on `origin` (scheme://host[:port], or "null" for an opaque one). */
  from(origin: string): CorsPage;
  /** The engine the requests run in. */
  readonly engine: EngineId;
}

/** The kit's options for each test, set in `use`. */
export interface CorsOptions {
  /** The server's base URL; requests' paths are appended to it. Default: CORS_TARGET, else `baseURL`. */
  corsTarget: string | undefined;
  /** How an https target's certificate is checked; verified by default. */
  corsTls: TargetTls;
}

/** The kit's options for each worker, set in `use`. */
export interface CorsWorkerOptions {
  /** The engine: chromium, firefox or webkit. Default: the project's browserName. */
  corsEngine: EngineId | undefined;
  /** Which builds run the engines (Playwright's, the system's); default from CC_BROWSERS. */
  corsBrowsers: BrowserChoice | undefined;
}

/** A request's URL: `path` appended to the target, so a prefix in it (http://host/v1) is kept. */
function requestUrl(target: string | undefined, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  if (!target) throw new Error('cors.fetch: no target to append the path to; set CORS_TARGET, or `corsTarget` (or `baseURL`) in `use`');
  return `${target.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}

function headerLines(headers: CorsInit['headers']): string[] {
  if (!headers) return [];
  return (Array.isArray(headers) ? headers : Object.entries(headers)).map(([n, v]) => `${n}: ${v}`);
}

function engineOf(option: EngineId | undefined, browserName: string): EngineId {
  const id = option ?? browserName;
  if (!(ENGINE_IDS as readonly string[]).includes(id)) throw new Error(`corsEngine ${id}: use one of ${ENGINE_IDS.join(', ')}`);
  return id as EngineId;
}

export const test = base.extend<CorsOptions & { cors: Cors }, CorsWorkerOptions & { corsSession: GradeSession }>({
  corsTarget: [undefined, { option: true }],
  corsTls: [VERIFY_TLS, { option: true }],
  corsEngine: [undefined, { option: true, scope: 'worker' }],
  corsBrowsers: [undefined, { option: true, scope: 'worker' }],
  // One proxy and one engine per worker, as the gate's: many requests run in it.
  corsSession: [
    async ({ corsEngine, corsBrowsers, browserName }, use) => {
      const session = await openGradeSession([engineOf(corsEngine, browserName)], corsBrowsers ?? browserChoiceFrom(process.env));
      await use(session);
      await session.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  cors: async ({ corsSession, corsTarget, corsTls, baseURL }, use) => {
    const target = corsTarget ?? process.env.CORS_TARGET ?? baseURL;
    const engine = engineOf(corsSession.engines[0]?.info.id, 'none');
    // One request at a time in the session: explain routes the proxy for its own request.
    let queue: Promise<unknown> = Promise.resolve();
    const from = (origin: string): CorsPage => ({
      fetch: (path, init = {}) => {
        const url = requestUrl(target, path);
        return new CorsRequest(origin, url, init, () => {
          const req = parseExplainArgs({
            url,
            origin,
            ...(init.method ? { method: init.method } : {}),
            header: headerLines(init.headers),
            ...(init.body !== undefined ? { body: init.body } : {}),
            ...(init.credentials ? { credentials: init.credentials } : {}),
            engine: [engine],
          });
          const run = queue.then(async () => {
            // A server that does not answer is a setup error, never a CORS block.
            await checkTargetAnswers(new URL(req.url.origin), req.url.pathname + req.url.search, corsTls);
            return explain(corsSession, req, { tls: corsTls });
          });
          queue = run.catch(() => {});
          return run;
        });
      },
    });
    await use({ from, engine });
  },
});

/** The words of a request in a message: method, URL, origin and credentials. */
function described(r: CorsRequest): string {
  return terminalText(`${r.init.method ?? 'GET'} ${r.url} from a page on ${r.origin} (credentials: ${r.init.credentials ?? 'same-origin'})`);
}

export const expect = baseExpect.extend({
  /** The page could read the response: every engine asked allowed the request. With `.not`,
   *  no engine let the page read it. An engine that gave no verdict fails both. */
  async toBeReadable(received: CorsRequest) {
    if (!(received instanceof CorsRequest)) throw new Error('toBeReadable: expect a request made with cors.from(origin).fetch(path)');
    const x = await received.explain();
    const errored = x.engines.filter((e) => e.outcome === 'error');
    if (errored.length) {
      throw new Error(
        `${described(received)}: no verdict from ${errored.map((e) => e.engine.id).join(', ')} (${errored.map((e) => terminalText(e.pageError ?? e.browserMessage ?? 'error')).join('; ')})\n\n${explainText(x)}`,
      );
    }
    const pass = x.works;
    const message = () =>
      pass
        ? `expected the page not to read ${described(received)}, but ${x.engines.map((e) => e.engine.id).join(', ')} let it read the response.\n` +
          `To refuse this origin, send no Access-Control-Allow-Origin for it (compare Origin with your allowlist; keep Vary: Origin).\n\n${explainText(x)}`
        : `expected the page to read ${described(received)}, but the browser blocked it.\n\n${explainText(x)}`;
    return { pass, message, name: 'toBeReadable', expected: !this.isNot, actual: pass };
  },
});
