// The initiators that are not elements: XMLHttpRequest, EventSource, module workers (the
// worker's own script, and import() inside a same-origin worker), navigator.sendBeacon and
// WebSocket. Each reports what its page can observe (model/case.ts Initiator); the request's
// method, headers and body come from the probe's FetchSpec. A beacon's page sees only whether
// it was queued, so its runner asks the proxy what reached the server (model/wire.ts SEEN_PATH).
import type { Initiator } from '../../model/case.ts';
import type { FetchOutcome, FetchSpec } from '../../model/probe.ts';
import { PROBE_TOKEN_PARAM, SEEN_PATH, type SeenSoFar } from '../../model/wire.ts';
import { errorText, type InitiatorContext, type InitiatorTable } from './index.ts';

type Observed = Omit<FetchOutcome, 'elapsedMs'>;

function blocked(error: string, signal: string): Observed {
  return { outcome: 'blocked', status: null, type: null, readable: [], error, contentReadable: null, signal };
}

function allowed(signal: string, status: number | null = null, readable: Array<[string, string]> = []): Observed {
  return { outcome: 'allowed', status, type: null, readable, error: null, contentReadable: null, signal };
}

function timedOut(timeoutMs: number, signal: string): Observed {
  return { outcome: 'error', status: null, type: null, readable: [], error: `probe timed out after ${timeoutMs} ms`, contentReadable: null, signal };
}

/**
 * Runs `start` with a `settle` that keeps the first outcome; the timeout settles as an error.
 * `cleanup` runs once, whichever came first.
 */
function observe(ctx: InitiatorContext, timeoutSignal: string, start: (settle: (o: Observed) => void) => () => void): Promise<FetchOutcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    let cleanup: () => void = () => {};
    const settle = (o: Observed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        cleanup();
      } catch {
        // Closing what already failed is no observation.
      }
      resolve({ ...o, elapsedMs: Math.round(performance.now() - t0) });
    };
    const timer = setTimeout(() => settle(timedOut(ctx.timeoutMs, timeoutSignal)), ctx.timeoutMs);
    cleanup = start(settle);
    if (done) cleanup();
  });
}

function headerValue(spec: FetchSpec, name: string): string | null {
  const found = spec.headers.find(([n]) => n.toLowerCase() === name);
  return found ? found[1] : null;
}

// --- XMLHttpRequest ------------------------------------------------------------------------

function xhr(initiator: Extract<Initiator, { kind: 'xhr' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  const spec = ctx.spec;
  return observe(ctx, 'no load, error or timeout event', (settle) => {
    const x = new XMLHttpRequest();
    try {
      x.open(spec.method, spec.url, true);
      x.withCredentials = initiator.withCredentials;
      for (const [name, value] of spec.headers) x.setRequestHeader(name, value);
    } catch (e) {
      // What fetch() would reject at construction (a bad method or header) throws here.
      settle(blocked(errorText(e), 'open() or setRequestHeader() threw'));
      return () => {};
    }
    x.timeout = ctx.timeoutMs;
    // Read as text: a body without a Content-Type is otherwise parsed as XML (Firefox logs the error).
    x.responseType = 'text';
    x.onload = () => {
      const readable: Array<[string, string]> = [];
      for (const name of ctx.readHeaders) {
        const value = x.getResponseHeader(name);
        if (value !== null) readable.push([name, value]);
      }
      settle(allowed(`load; status ${x.status}`, x.status, readable));
    };
    x.onerror = () => settle(blocked('XMLHttpRequest: error event', `error event; status ${x.status}`));
    x.ontimeout = () => settle(timedOut(ctx.timeoutMs, 'timeout event'));
    x.onabort = () => settle(blocked('XMLHttpRequest: abort event', 'abort event'));
    x.send(spec.body);
    return () => {
      x.onload = x.onerror = x.ontimeout = x.onabort = null;
      if (x.readyState !== XMLHttpRequest.DONE) x.abort();
    };
  });
}

// --- EventSource ---------------------------------------------------------------------------

function eventSource(initiator: Extract<Initiator, { kind: 'eventsource' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  return observe(ctx, 'no open, message or error event', (settle) => {
    let es: EventSource;
    try {
      es = new EventSource(ctx.spec.url, { withCredentials: initiator.withCredentials });
    } catch (e) {
      settle(blocked(errorText(e), 'the constructor threw'));
      return () => {};
    }
    let opened = false;
    es.onopen = () => {
      opened = true;
    };
    es.onmessage = (ev: MessageEvent) => settle(allowed(`${opened ? 'open; ' : ''}message ${JSON.stringify(String(ev.data))}`));
    // The stream ends after its one message, and the browser then tries to reconnect: an error
    // after open is that, not a block.
    es.onerror = () => settle(opened ? allowed('open; error (no message)') : blocked('EventSource: error event before open', 'error event before open'));
    return () => es.close();
  });
}

// --- Workers -------------------------------------------------------------------------------

interface WorkerMessage {
  ccModuleRan?: string;
  ccImport?: 'resolved' | 'rejected';
  error?: string;
}

function startWorker(
  url: string,
  settle: (o: Observed) => void,
  onMessage: (data: WorkerMessage) => void,
  errorSignal: string,
): { cleanup: () => void; worker: Worker | null } {
  let worker: Worker;
  try {
    worker = new Worker(url, { type: 'module' });
  } catch (e) {
    settle(blocked(errorText(e), 'new Worker() threw'));
    return { cleanup: () => {}, worker: null };
  }
  worker.onmessage = (ev: MessageEvent<WorkerMessage | null>) => {
    if (ev.data) onMessage(ev.data);
  };
  worker.onerror = (ev: ErrorEvent) => {
    ev.preventDefault();
    settle(blocked(`Worker: error event${ev.message ? ` (${ev.message})` : ''}`, errorSignal));
  };
  return { cleanup: () => worker.terminate(), worker };
}

/** The worker that imports the cross-origin module runs this: from a blob: URL made by this
 *  document, so that it has this document's origin. An opaque-origin document cannot start a
 *  module worker from its own blob: URL (Chromium fires an error event), so there it starts
 *  one from a data: URL, whose worker has an opaque origin of its own: its requests carry
 *  `Origin: null` as the document's would. */
function importerSource(url: string): string {
  return (
    'self.__ccModuleRan = function () {};\n' +
    `import(${JSON.stringify(url)}).then(\n` +
    '  function () { self.postMessage({ ccImport: "resolved" }); },\n' +
    '  function (e) { self.postMessage({ ccImport: "rejected", error: String(e && e.name) + ": " + String(e && e.message) }); });\n'
  );
}

function worker(initiator: Extract<Initiator, { kind: 'worker' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  if (initiator.form === 'module-worker') {
    return observe(ctx, 'the worker neither ran the module nor failed', (settle) => {
      const w = startWorker(
        ctx.spec.url,
        settle,
        (data) => {
          if (data.ccModuleRan) settle(allowed('the module ran in the worker'));
        },
        'error event',
      );
      return w.cleanup;
    });
  }
  return observe(ctx, 'import() neither resolved nor rejected', (settle) => {
    const source = importerSource(ctx.spec.url);
    const opaque = self.origin === 'null';
    const workerUrl = opaque ? `data:text/javascript,${encodeURIComponent(source)}` : URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const where = opaque ? 'a data: worker' : 'a same-origin worker';
    const w = startWorker(
      workerUrl,
      settle,
      (data) => {
        if (data.ccImport === 'resolved') settle(allowed(`import() resolved in ${where}`));
        else if (data.ccImport === 'rejected') settle(blocked(data.error ?? 'import() rejected', `import() rejected in ${where}`));
      },
      `${where} failed to start`,
    );
    return () => {
      w.cleanup();
      if (!opaque) URL.revokeObjectURL(workerUrl);
    };
  });
}

// --- sendBeacon ----------------------------------------------------------------------------

/** How long a queued beacon may take to reach the server, and how long after an answered
 *  preflight the actual request may take. Bounds of the wait, never of a verdict: the wire
 *  decides the outcome (runner/run-cases.ts). */
const BEACON_WAIT_MS = 5000;
const AFTER_PREFLIGHT_MS = 2000;
const POLL_MS = 50;

async function seenSoFar(url: string): Promise<SeenSoFar | null> {
  try {
    const res = await fetch(url, { credentials: 'omit', cache: 'no-store' });
    return res.ok ? ((await res.json()) as SeenSoFar) : null;
  } catch {
    return null;
  }
}

async function beacon(_initiator: Extract<Initiator, { kind: 'beacon' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  const t0 = performance.now();
  const spec = ctx.spec;
  const contentType = headerValue(spec, 'content-type');
  const body = spec.body ?? '';
  const elapsedMs = () => Math.round(performance.now() - t0);
  let queued: boolean;
  try {
    queued = navigator.sendBeacon(spec.url, contentType === null ? body : new Blob([body], { type: contentType }));
  } catch (e) {
    return { ...blocked(errorText(e), 'sendBeacon threw'), elapsedMs: elapsedMs() };
  }
  const form = contentType === null ? 'a string body' : `a Blob of type ${JSON.stringify(contentType)}`;
  if (!queued) return { ...blocked('sendBeacon returned false', `not queued (${form})`), elapsedMs: elapsedMs() };
  const target = new URL(spec.url);
  const seenUrl = new URL(SEEN_PATH, target.origin);
  seenUrl.searchParams.set(PROBE_TOKEN_PARAM, target.searchParams.get(PROBE_TOKEN_PARAM) ?? '');
  const deadline = performance.now() + Math.min(BEACON_WAIT_MS, ctx.timeoutMs);
  let preflightAnsweredAt: number | null = null;
  for (;;) {
    const seen = await seenSoFar(seenUrl.href);
    const now = performance.now();
    if (seen && seen.actual > 0) return { ...allowed(`queued (${form}); the server saw the request`), elapsedMs: elapsedMs() };
    if (seen && seen.preflightsAnswered > 0) preflightAnsweredAt ??= now;
    const waited = preflightAnsweredAt !== null && now - preflightAnsweredAt > AFTER_PREFLIGHT_MS;
    if (waited || now > deadline) {
      const what = preflightAnsweredAt !== null ? 'the server saw the preflight and no request after it' : 'the server saw no request';
      return { ...blocked(`sendBeacon queued, ${what}`, `queued (${form}); ${what}`), elapsedMs: elapsedMs() };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

// --- WebSocket -----------------------------------------------------------------------------

/** The ws: (wss:) form of an http: (https:) URL. */
function webSocketUrl(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.href;
}

function webSocket(_initiator: Extract<Initiator, { kind: 'websocket' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  return observe(ctx, 'no open, error or close event', (settle) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(webSocketUrl(ctx.spec.url));
    } catch (e) {
      settle(blocked(errorText(e), 'the constructor threw'));
      return () => {};
    }
    let errored = false;
    ws.onopen = () => settle(allowed(`open${ws.protocol ? `; protocol ${ws.protocol}` : ''}`));
    ws.onerror = () => {
      errored = true;
      // The close event that follows carries the code; an engine that fires none is still seen.
      setTimeout(() => settle(blocked('WebSocket: error event, no close event within 1 s', 'error; no close')), 1000);
    };
    // An error event comes with a close event; the close carries the code.
    ws.onclose = (ev: CloseEvent) =>
      settle(blocked(`WebSocket: ${errored ? 'error and ' : ''}close event before open (code ${ev.code})`, `${errored ? 'error; ' : ''}close ${ev.code}`));
    return () => {
      ws.onopen = ws.onerror = ws.onclose = null;
      ws.close();
    };
  });
}

export const STREAM_RUNNERS = { xhr, eventsource: eventSource, worker, beacon, websocket: webSocket } satisfies Partial<InitiatorTable>;
