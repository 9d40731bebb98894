// The probe runtime: runs a batch of fetches in this document and reports, for each, what
// the page could observe. Loaded by the probe page as /__cc/probe.js (bundled by
// probe/bundle.ts), and inlined into opaque-origin frames (sandboxed srcdoc and data:
// iframes) whose requests carry `Origin: null`. It implements the probe protocol of
// model/probe.ts; the engine layer calls `window.__cc.run(probes, { concurrency })`.
import type { FetchOutcome, FetchSpec, Probe, ProbeResult } from '../model/probe.ts';
import type { InitiatorKind } from '../model/case.ts';
import type { InitiatorOf } from '../model/initiators.ts';
import { ELEMENT_RUNNERS } from './initiators/elements.ts';
import { errorText, type InitiatorContext, type InitiatorTable } from './initiators/index.ts';
import { STREAM_RUNNERS } from './initiators/streams.ts';

/** What `run` hands back to the engine layer (the engine adds the console). */
export interface PageRunOutput {
  results: ProbeResult[];
  pageOrigin: string;
  frameOrigins: Record<string, string>;
  userAgent: string;
}

export interface ProbeRuntime {
  run(probes: Probe[], options: { concurrency: number }): Promise<PageRunOutput>;
  runBatch(probes: Probe[], concurrency: number): Promise<ProbeResult[]>;
}

declare global {
  interface Window {
    __cc?: ProbeRuntime;
  }
}

type OpaqueKind = NonNullable<Probe['opaque']>;

interface FrameMessage {
  ccReady?: string;
  ccRun?: string;
  ccDone?: string;
  probes?: Probe[];
  concurrency?: number;
  results?: ProbeResult[];
  origin?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function doFetch(spec: FetchSpec, readHeaders: string[], timeoutMs: number, keepalive = false): Promise<FetchOutcome> {
  const t0 = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const init: RequestInit = {
    method: spec.method,
    headers: spec.headers,
    credentials: spec.credentials,
    mode: spec.mode,
    redirect: spec.redirect,
    signal: controller.signal,
  };
  if (keepalive) init.keepalive = true;
  if (spec.body !== null) init.body = spec.body;
  const elapsedMs = () => Math.round(performance.now() - t0);
  try {
    const res = await fetch(spec.url, init);
    const readable: Array<[string, string]> = [];
    for (const name of readHeaders) {
      const value = res.headers.get(name);
      if (value !== null) readable.push([name, value]);
    }
    try {
      await res.arrayBuffer();
    } catch {
      // An opaque or aborted body: nothing to read.
    }
    return { outcome: 'allowed', status: res.status, type: res.type, readable, error: null, elapsedMs: elapsedMs() };
  } catch (e) {
    const timedOut = controller.signal.aborted;
    return {
      outcome: timedOut ? 'error' : 'blocked',
      status: null,
      type: null,
      readable: [],
      error: timedOut ? `probe timed out after ${timeoutMs} ms` : errorText(e),
      elapsedMs: elapsedMs(),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The runner of every initiator: fetch() here, the others from their modules. */
const RUNNERS: InitiatorTable = {
  fetch: (_initiator, ctx) => doFetch(ctx.spec, ctx.readHeaders, ctx.timeoutMs),
  'fetch-keepalive': async (_initiator, ctx) => ({
    ...(await doFetch(ctx.spec, ctx.readHeaders, ctx.timeoutMs, true)),
    signal: 'fetch(…, { keepalive: true })',
  }),
  ...ELEMENT_RUNNERS,
  ...STREAM_RUNNERS,
};

function runKind<K extends InitiatorKind>(kind: K, initiator: InitiatorOf<K>, ctx: InitiatorContext): Promise<FetchOutcome> {
  return RUNNERS[kind](initiator, ctx);
}

async function runProbe(p: Probe): Promise<ProbeResult> {
  const prior: FetchOutcome[] = [];
  for (const [i, step] of p.prior.entries()) {
    if (p.markUrl) await fetch(`${p.markUrl}&step=${i}`, { mode: 'no-cors' }).catch(() => {});
    prior.push(await doFetch(step.fetch, [], p.timeoutMs));
    await sleep(step.waitMs);
  }
  if (p.markUrl) await fetch(`${p.markUrl}&step=${p.prior.length}`, { mode: 'no-cors' }).catch(() => {});
  const final = await runKind(p.initiator.kind, p.initiator, { spec: p.fetch, readHeaders: p.readHeaders, timeoutMs: p.timeoutMs });
  return { id: p.id, prior, final };
}

async function runBatch(probes: Probe[], concurrency: number): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(probes.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < probes.length) {
      const i = next++;
      results[i] = await runProbe(probes[i] as Probe);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, probes.length) }, lane));
  return results;
}

let frameSeq = 0;
let runtimeSource: string | null = null;
/** Opaque frames whose batch is done. They stay in the document until the next run: the
 *  browser can report a frame's console messages (its blocking reasons) after the frame's
 *  results, and a removed frame's messages can be lost (seen in Chromium under load). */
const spentFrames: HTMLIFrameElement[] = [];

// Opaque-origin documents cannot load /__cc/probe.js by URL in every form (a data: URL has
// no base), so the runtime's own source is inlined into them.
async function runInOpaqueFrame(kind: OpaqueKind, probes: Probe[], concurrency: number): Promise<{ results: ProbeResult[]; frameOrigin: string }> {
  runtimeSource ??= await (await fetch('/__cc/probe.js')).text();
  const id = `f${++frameSeq}`;
  const close = '</' + 'script>';
  const html =
    `<!doctype html><meta charset="utf-8"><script>${runtimeSource}${close}` +
    '<script>window.addEventListener("message", async function (ev) {' +
    `  if (!ev.data || ev.data.ccRun !== ${JSON.stringify(id)}) return;` +
    '  const results = await window.__cc.runBatch(ev.data.probes, ev.data.concurrency);' +
    `  parent.postMessage({ ccDone: ${JSON.stringify(id)}, results: results, origin: String(self.origin) }, "*");` +
    '});' +
    `parent.postMessage({ ccReady: ${JSON.stringify(id)} }, "*");${close}`;
  const frame = document.createElement('iframe');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`opaque frame ${kind} did not answer`)), 120_000);
    function onMessage(ev: MessageEvent<FrameMessage | null>): void {
      if (ev.source !== frame.contentWindow || !ev.data) return;
      if (ev.data.ccReady === id) {
        frame.contentWindow?.postMessage({ ccRun: id, probes, concurrency } satisfies FrameMessage, '*');
      } else if (ev.data.ccDone === id) {
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        spentFrames.push(frame);
        resolve({ results: ev.data.results ?? [], frameOrigin: ev.data.origin ?? '' });
      }
    }
    window.addEventListener('message', onMessage);
    if (kind === 'sandboxed-iframe') {
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.srcdoc = html;
    } else {
      frame.src = `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
    }
    document.body.appendChild(frame);
  });
}

// Runs the page's probes here and the opaque ones in their frames, all at once.
async function run(probes: Probe[], options: { concurrency: number }): Promise<PageRunOutput> {
  for (const frame of spentFrames.splice(0)) frame.remove();
  const groups = new Map<OpaqueKind | 'page', Probe[]>();
  for (const p of probes) {
    const key = p.opaque ?? 'page';
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const frameOrigins: Record<string, string> = {};
  const parts = await Promise.all(
    [...groups].map(async ([key, list]) => {
      if (key === 'page') return runBatch(list, options.concurrency);
      const r = await runInOpaqueFrame(key, list, options.concurrency);
      frameOrigins[key] = r.frameOrigin;
      return r.results;
    }),
  );
  return { results: parts.flat(), pageOrigin: String(self.origin), frameOrigins, userAgent: navigator.userAgent };
}

window.__cc ??= { run, runBatch };
