// The initiator registry: for each way a page makes a request (model/case.ts Initiator), the
// facts every layer derives from, in one table the compiler keeps complete. Its words (a label
// for tables, a phrase for case titles), the bytes the fixture answers it with, whether the
// page has a test of what it could read, and whether only the server's log can tell the
// outcome. What the standards derive for each initiator (mode, credentials, destination, the
// observation rules) stays in the spec model (oracle/initiators.ts), which reads these facts;
// the probe's runner for each kind is its own total table (probe/runtime.ts).
//
// Adding an initiator: its options in model/case.ts (Initiator, INITIATOR_KINDS), an entry
// here, and the compiler then names every table that needs one (the spec model's request and
// failure rules, the probe's runners, the report's standards table).
import type { Asset, CorsSettings, Initiator, InitiatorKind } from './case.ts';

/** The initiator of one kind, with its options. */
export type InitiatorOf<K extends InitiatorKind> = Extract<Initiator, { kind: K }>;

/** One function per kind, each given the initiator of its own kind. */
type PerInitiator<R> = { [K in InitiatorKind]: (initiator: InitiatorOf<K>) => R };

/** The table's entry for the initiator's kind, applied to it. */
function forInitiator<R>(table: PerInitiator<R>, initiator: Initiator): R {
  return applyEntry(table, initiator.kind, initiator);
}

function applyEntry<K extends InitiatorKind, R>(table: PerInitiator<R>, kind: K, initiator: InitiatorOf<K>): R {
  return table[kind](initiator);
}

/** What the rest of the product derives from one initiator. */
export interface InitiatorFacts {
  /** In a few words, for tables: `img no crossorigin`, `xhr withCredentials`. */
  label: string;
  /** As a phrase, for case titles: `an <img> without crossorigin drawn to a canvas`. */
  says: string;
  /** The bytes the fixture answers with (servers/assets.ts), or null for a text body. */
  asset: Asset | null;
  /** The page has a test of whether it could read what it loaded (a canvas that is not
   *  tainted, an error that is not muted, `cssRules` that do not throw). */
  contentTest: boolean;
  /** The page sees only whether the request was queued: the server's log decides the outcome
   *  (a beacon). */
  wireDecidesOutcome: boolean;
}

const crossoriginLabel = (c: CorsSettings): string => (c === 'absent' ? 'no crossorigin' : `crossorigin=${c}`);
const crossoriginSays = (c: CorsSettings): string => (c === 'absent' ? 'without crossorigin' : `with crossorigin=${c}`);
const withCredentialsLabel = (kind: string, on: boolean): string => (on ? `${kind} withCredentials` : kind);

/** Facts of an initiator whose page reads nothing but the outcome, with a text body. */
const plain = (label: string, says: string): InitiatorFacts => ({ label, says, asset: null, contentTest: false, wireDecidesOutcome: false });

const REGISTRY: PerInitiator<InitiatorFacts> = {
  fetch: () => plain('fetch', 'fetch()'),
  'fetch-keepalive': () => plain('fetch-keepalive', 'fetch() with keepalive'),
  xhr: (i) => plain(withCredentialsLabel('xhr', i.withCredentials), `an XMLHttpRequest${i.withCredentials ? ' with withCredentials' : ''}`),
  img: (i) => ({
    label: `img ${crossoriginLabel(i.crossorigin)}`,
    says: `an <img> ${crossoriginSays(i.crossorigin)} drawn to a canvas`,
    asset: 'png',
    contentTest: true,
    wireDecidesOutcome: false,
  }),
  script: (i) => ({
    label: `script ${crossoriginLabel(i.crossorigin)}`,
    says: `a classic <script> ${crossoriginSays(i.crossorigin)} that throws`,
    asset: 'classic-script',
    contentTest: true,
    wireDecidesOutcome: false,
  }),
  'module-script': (i) => ({
    // import() has no crossorigin attribute of its own: it uses the calling script's.
    label: i.form === 'import' ? 'module-script import' : `module-script element ${crossoriginLabel(i.crossorigin)}`,
    says: i.form === 'import' ? 'import() from a classic script' : `a <script type=module> ${crossoriginSays(i.crossorigin)}`,
    asset: 'module-script',
    contentTest: true,
    wireDecidesOutcome: false,
  }),
  stylesheet: (i) => ({
    label: `stylesheet ${crossoriginLabel(i.crossorigin)}`,
    says: `a <link rel=stylesheet> ${crossoriginSays(i.crossorigin)} read through cssRules`,
    asset: 'stylesheet',
    contentTest: true,
    wireDecidesOutcome: false,
  }),
  font: (i) => ({
    label: `font ${i.form}`,
    says: i.form === 'font-face' ? 'an @font-face rule' : 'a FontFace object',
    asset: 'font',
    contentTest: false,
    wireDecidesOutcome: false,
  }),
  media: (i) => ({
    label: `media <${i.element}> ${crossoriginLabel(i.crossorigin)}`,
    says: i.element === 'video' ? `a <video> ${crossoriginSays(i.crossorigin)} drawn to a canvas` : `an <audio> ${crossoriginSays(i.crossorigin)}`,
    asset: i.element,
    // A video frame is drawn to a canvas; a sound has nothing to draw.
    contentTest: i.element === 'video',
    wireDecidesOutcome: false,
  }),
  eventsource: (i) => ({
    label: withCredentialsLabel('eventsource', i.withCredentials),
    says: `an EventSource${i.withCredentials ? ' with withCredentials' : ''}`,
    asset: 'event-stream',
    contentTest: false,
    wireDecidesOutcome: false,
  }),
  worker: (i) => ({
    label: `worker ${i.form}`,
    says: i.form === 'module-worker' ? 'a module worker' : 'import() in a same-origin module worker',
    asset: 'module-script',
    contentTest: false,
    wireDecidesOutcome: false,
  }),
  beacon: () => ({ ...plain('beacon', 'sendBeacon'), wireDecidesOutcome: true }),
  websocket: () => plain('websocket', 'a WebSocket'),
};

/** The registry's facts for this initiator; absent means `fetch()`. */
export function initiatorFacts(initiator: Initiator | undefined): InitiatorFacts {
  return forInitiator(REGISTRY, initiator ?? { kind: 'fetch' });
}

/** The Content-Type the fixture sends with each asset when the recipe sets none; the spec
 *  model reads the same table for a response without a Content-Type line. */
export const ASSET_CONTENT_TYPE: Readonly<Record<Asset, string>> = {
  png: 'image/png',
  font: 'font/woff',
  video: 'video/webm',
  audio: 'audio/wav',
  'classic-script': 'text/javascript',
  'module-script': 'text/javascript',
  stylesheet: 'text/css',
  'event-stream': 'text/event-stream',
};

/** The initiator with its options in a few words: `img no crossorigin`, `xhr withCredentials`,
 *  `module-script import`; `fetch` for none. */
export function initiatorLabel(initiator: Initiator | undefined): string {
  return initiatorFacts(initiator).label;
}
