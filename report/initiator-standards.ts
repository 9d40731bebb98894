// The initiators topic's standards table: for each way a page makes a request, the request
// mode and credentials mode the standards give it with its defaults (no `crossorigin`, no
// `withCredentials`) and whether it can be preflighted, all from the spec model
// (oracle/initiators.ts deriveInitiatorRequest), beside what the page sees when the CORS
// check fails, in words. The rows are keyed by kind, so a new initiator is a compile error
// here until it has its row.
import type { Credentials, Initiator, InitiatorKind } from '../model/case.ts';
import { INITIATOR_KINDS } from '../model/case.ts';
import type { InitiatorOf } from '../model/initiators.ts';
import { ANCHOR, deriveInitiatorRequest, type FetchMode } from '../oracle/index.ts';

/** One row of the initiators topic: what a page gets from each way of making a request. */
export interface InitiatorSummary {
  /** How the page makes it, e.g. `<img src>`. */
  api: string;
  initiator: Initiator;
  /** The standards' mode and credentials mode with the initiator's defaults; taken from
   *  deriveInitiatorRequest. */
  mode: FetchMode;
  credentials: Credentials;
  /** Credentials mode "include": cookies go to another origin without the page asking. */
  sendsCookiesCrossOrigin: boolean;
  /** true: only a `crossorigin` attribute makes the response readable; false: the request is
   *  always a CORS request; null: the page never reads the response (beacon, WebSocket). */
  needsCrossoriginToRead: boolean | null;
  canPreflight: boolean;
  /** What the page sees when the CORS check fails, or what happens instead. */
  corsFailure: string;
  anchor: string;
}

interface RowText {
  api: string;
  /** The initiator with its defaults. */
  initiator: Initiator;
  needsCrossoriginToRead: boolean | null;
  corsFailure: string;
}

/** The rows of each kind, in the order the table shows them (a kind may have several forms). */
const ROWS: { [K in InitiatorKind]: ReadonlyArray<RowText & { initiator: InitiatorOf<K> }> } = {
  fetch: [{ api: 'fetch()', initiator: { kind: 'fetch' }, needsCrossoriginToRead: false, corsFailure: 'fetch() rejects with a TypeError.' }],
  'fetch-keepalive': [
    {
      api: 'fetch(url, {keepalive: true})',
      initiator: { kind: 'fetch-keepalive' },
      needsCrossoriginToRead: false,
      corsFailure: 'fetch() rejects with a TypeError; a body over 64 KiB is a network error too.',
    },
  ],
  xhr: [
    { api: 'XMLHttpRequest', initiator: { kind: 'xhr', withCredentials: false }, needsCrossoriginToRead: false, corsFailure: 'An error event; status is 0.' },
  ],
  img: [
    {
      api: '<img src>',
      initiator: { kind: 'img', crossorigin: 'absent' },
      needsCrossoriginToRead: true,
      corsFailure: 'Without crossorigin none: the image shows and drawing it taints the canvas. With crossorigin: an error event.',
    },
  ],
  script: [
    {
      api: '<script src>',
      initiator: { kind: 'script', crossorigin: 'absent' },
      needsCrossoriginToRead: true,
      corsFailure:
        'Without crossorigin none: the script runs and its errors reach window.onerror as "Script error.". With crossorigin: an error event, and it does not run.',
    },
  ],
  'module-script': [
    {
      api: '<script type=module>, import()',
      initiator: { kind: 'module-script', form: 'element', crossorigin: 'absent' },
      needsCrossoriginToRead: false,
      corsFailure: 'An error event (import() rejects with a TypeError); the module does not run.',
    },
  ],
  stylesheet: [
    {
      api: '<link rel=stylesheet>',
      initiator: { kind: 'stylesheet', crossorigin: 'absent' },
      needsCrossoriginToRead: true,
      corsFailure:
        'Without crossorigin none: the rules apply and cssRules throws a SecurityError. With crossorigin: an error event, and the rules do not apply.',
    },
  ],
  font: [
    {
      api: '@font-face, FontFace',
      initiator: { kind: 'font', form: 'font-face' },
      needsCrossoriginToRead: false,
      corsFailure: 'The font does not load (FontFace.load() rejects with a NetworkError); the text falls back.',
    },
  ],
  media: [
    {
      api: '<video>, <audio>',
      initiator: { kind: 'media', element: 'video', crossorigin: 'absent' },
      needsCrossoriginToRead: true,
      corsFailure: 'Without crossorigin none: it plays and drawing a video frame taints the canvas. With crossorigin: an error event.',
    },
  ],
  eventsource: [
    {
      api: 'EventSource',
      initiator: { kind: 'eventsource', withCredentials: false },
      needsCrossoriginToRead: false,
      corsFailure: 'An error event, with readyState CONNECTING while it retries or CLOSED once it gives up.',
    },
  ],
  worker: [
    {
      api: "new Worker(url, {type: 'module'})",
      initiator: { kind: 'worker', form: 'module-worker' },
      needsCrossoriginToRead: false,
      corsFailure:
        'Never cross-origin: the script fetch is mode same-origin, so an error event at the Worker (engines may throw a SecurityError from the constructor instead).',
    },
    {
      api: 'import() in a module worker',
      initiator: { kind: 'worker', form: 'worker-import' },
      needsCrossoriginToRead: false,
      corsFailure: 'import() rejects with a TypeError.',
    },
  ],
  beacon: [
    {
      api: 'navigator.sendBeacon()',
      initiator: { kind: 'beacon' },
      needsCrossoriginToRead: null,
      corsFailure:
        'Nothing the page can see (sendBeacon() already returned true). A Content-Type that is not CORS-safelisted makes it a CORS request: a failed preflight keeps the POST from being sent.',
    },
  ],
  websocket: [
    {
      api: 'new WebSocket()',
      initiator: { kind: 'websocket' },
      needsCrossoriginToRead: null,
      corsFailure:
        'No CORS: the browser sends Origin and checks no CORS header; only a refused upgrade fails (an error, then a close event). The server must check Origin itself.',
    },
  ],
};

function summary(row: RowText): InitiatorSummary {
  // A beacon's defaults are those of its most common body, a string (text/plain).
  const derived = deriveInitiatorRequest(row.initiator, row.initiator.kind === 'beacon' ? { body: 'data', headers: [] } : { headers: [] });
  const first = derived.decisions[0];
  return {
    api: row.api,
    initiator: row.initiator,
    mode: derived.mode,
    credentials: derived.credentials,
    sendsCookiesCrossOrigin: derived.credentials === 'include',
    needsCrossoriginToRead: row.needsCrossoriginToRead,
    canPreflight: derived.canPreflight,
    corsFailure: row.corsFailure,
    anchor: first ? first.anchor : ANCHOR.requestConstructor,
  };
}

/** The initiators topic's table, one row per way of making a request, in a stable order. */
export function initiatorSummaries(): InitiatorSummary[] {
  return INITIATOR_KINDS.flatMap((kind) => ROWS[kind].map(summary));
}
