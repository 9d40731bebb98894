// Every way a page makes a request besides fetch(): elements with and without `crossorigin`
// (images drawn to a canvas, classic and module scripts, stylesheets, media), fonts,
// XMLHttpRequest, EventSource, workers, beacons, fetch with keepalive and WebSockets. Each
// block crosses an initiator with the response dimensions that decide it (Access-Control-Allow-
// Origin, -Credentials), exhaustively, and varies the route and the cookie pairwise. The
// request mode and credentials mode of each case are what the standards derive for its
// initiator (oracle/initiators.ts); the spec model checks them.
import type { CaseResponse, CorsSettings, Header, Initiator, ResponseRecipe } from '../../model/case.ts';
import { initiatorFacts } from '../../model/initiators.ts';
import { initiatorRequestFields } from '../../oracle/index.ts';
import type { Assignment } from './pairwise.ts';
import {
  H,
  acaoLines,
  acaoSays,
  allowOrigin,
  factor,
  host,
  pick,
  preflightAllowing,
  redirect,
  requestOrigin,
  route,
  targetUrl,
  val,
  type Block,
  type CaseParts,
  type Route,
  cookieOnlySameSite,
} from './shared.ts';

// --- Initiators by label ------------------------------------------------------------------------

// Each initiator's words for titles and the asset it is answered with come from the registry
// (model/initiators.ts); the labels below are the ids' words for its forms.

const CROSSORIGIN: Record<string, CorsSettings> = { absent: 'absent', anonymous: 'anonymous', 'use-credentials': 'use-credentials' };

/** Elements that take a CORS settings attribute, by label, for a crossorigin value. */
const ELEMENTS: Record<string, (c: CorsSettings) => Initiator> = {
  img: (c) => ({ kind: 'img', crossorigin: c }),
  script: (c) => ({ kind: 'script', crossorigin: c }),
  'module-element': (c) => ({ kind: 'module-script', form: 'element', crossorigin: c }),
  stylesheet: (c) => ({ kind: 'stylesheet', crossorigin: c }),
  video: (c) => ({ kind: 'media', element: 'video', crossorigin: c }),
  audio: (c) => ({ kind: 'media', element: 'audio', crossorigin: c }),
};

/** Every initiator in its default form (no crossorigin, no withCredentials), for the cookie block. */
const DEFAULTS: Record<string, Initiator> = {
  fetch: { kind: 'fetch' },
  'fetch-keepalive': { kind: 'fetch-keepalive' },
  xhr: { kind: 'xhr', withCredentials: false },
  'xhr-credentials': { kind: 'xhr', withCredentials: true },
  img: elementForm('img', 'absent'),
  'img-anonymous': elementForm('img', 'anonymous'),
  script: elementForm('script', 'absent'),
  'module-element': elementForm('module-element', 'absent'),
  'module-import': { kind: 'module-script', form: 'import', crossorigin: 'anonymous' },
  stylesheet: elementForm('stylesheet', 'absent'),
  'font-face': { kind: 'font', form: 'font-face' },
  'font-face-api': { kind: 'font', form: 'font-face-api' },
  video: elementForm('video', 'absent'),
  eventsource: { kind: 'eventsource', withCredentials: false },
  'eventsource-credentials': { kind: 'eventsource', withCredentials: true },
  'worker-import': { kind: 'worker', form: 'worker-import' },
  'beacon-text': { kind: 'beacon' },
  websocket: { kind: 'websocket' },
};

/** The initiator in words, for titles; a beacon's words name its body's type. */
export function says(initiator: Initiator, beaconBody = 'text/plain'): string {
  const words = initiatorFacts(initiator).says;
  return initiator.kind === 'beacon' ? `${words} with a ${beaconBody} body` : words;
}

function elementForm(label: string, crossorigin: string): Initiator {
  if (label === 'module-import') return pick(DEFAULTS, label, 'initiator');
  return pick(ELEMENTS, label, 'element')(pick(CROSSORIGIN, crossorigin, 'crossorigin value'));
}

/** The request fields a case needs for an initiator: mode and credentials as the standards
 *  derive them, the method, headers and body the initiator sends. */
export function requestFor(initiator: Initiator, extra: { method?: string; headers?: Header[]; body?: string | null } = {}): Omit<CaseParts['request'], 'url'> {
  const derived = initiatorRequestFields(initiator, { body: extra.body ?? null, headers: extra.headers ?? [] });
  return {
    ...(initiator.kind === 'fetch' ? {} : { initiator }),
    method: extra.method ?? derived.method,
    headers: extra.headers ?? [],
    body: extra.body ?? null,
    mode: derived.mode,
    credentials: derived.credentials,
  };
}

/** A title as one plain sentence: it starts with a capital. */
export const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The answer the initiator needs: its asset (model/initiators.ts), else a text body. */
export function answer(initiator: Initiator, headers: Header[], status = 200): ResponseRecipe {
  const asset = initiatorFacts(initiator).asset;
  return asset ? { status, headers, asset } : { status, headers, body: 'ok' };
}

const ACAC_LABELS: Record<string, Header[]> = { absent: [], true: [H.acac('true')] };

/** Routes an initiator block varies over: same-origin and same-site carry a SameSite=Lax cookie. */
const ROUTE_LABELS = ['same-origin', 'same-site', 'cross-site', 'https-cross-site', 'sandbox'];

function corsHeaders(row: Readonly<Assignment>, r: Route): Header[] {
  return [...acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r)), ...pick(ACAC_LABELS, val(row, 'acac'), 'ACAC form')];
}

const acacSays = (label: string): string => (label === 'true' ? 'Access-Control-Allow-Credentials: true' : 'no Access-Control-Allow-Credentials');

// --- Elements: the CORS settings attribute against the CORS check --------------------------------

/** A GET the initiator makes on the row's route, answered with the row's ACAO and ACAC. */
function loadCase(row: Readonly<Assignment>, form: Initiator): CaseParts {
  const r = route(val(row, 'route'));
  const cookie = val(row, 'cookie') === 'yes';
  return {
    title: sentence(
      `${says(form)}, loading ${r.says}${cookie ? ' that has a cookie' : ''}, answered with ${acaoSays(val(row, 'acao'))} and ${acacSays(val(row, 'acac'))}.`,
    ),
    route: r,
    request: { ...requestFor(form), ...(cookie ? { withCookie: true } : {}) },
    response: { preflight: null, actual: answer(form, corsHeaders(row, r)) },
  };
}

const elementBlock: Block = {
  topic: 'initiators',
  name: 'element',
  exhaustive: [
    factor('initiator', ['img', 'script', 'module-element', 'stylesheet', 'video', 'audio']),
    factor('crossorigin', Object.keys(CROSSORIGIN)),
    factor('acao', ['absent', 'star', 'echo', 'other']),
    factor('acac', Object.keys(ACAC_LABELS)),
  ],
  pairwise: [factor('route', ROUTE_LABELS), factor('cookie', ['yes', 'no'])],
  allowed: cookieOnlySameSite,
  build: (row) => loadCase(row, elementForm(val(row, 'initiator'), val(row, 'crossorigin'))),
};

/** import() and fonts: always CORS requests, whatever the page says. */
const corsOnlyBlock: Block = {
  topic: 'initiators',
  name: 'cors-only',
  exhaustive: [
    factor('initiator', ['module-import', 'font-face', 'font-face-api']),
    factor('acao', ['absent', 'star', 'echo', 'other', 'null']),
    factor('acac', Object.keys(ACAC_LABELS)),
  ],
  pairwise: [factor('route', ROUTE_LABELS), factor('cookie', ['yes', 'no'])],
  allowed: cookieOnlySameSite,
  build: (row) => loadCase(row, pick(DEFAULTS, val(row, 'initiator'), 'initiator')),
};

// --- Redirects: a cross-origin hop taints an image and mutes a script -----------------------------

/** First hop → second hop, as host labels (a is the page's host). */
const HOPS: Record<string, [string, string]> = {
  'same-to-cross': ['a', 'b'],
  'cross-to-same': ['b', 'a'],
  'cross-to-cross': ['b', 'b'],
};

const redirectBlock: Block = {
  topic: 'initiators',
  name: 'redirect',
  exhaustive: [
    factor('initiator', ['img', 'script', 'stylesheet', 'module-element', 'video']),
    factor('crossorigin', ['absent', 'anonymous']),
    factor('hops', Object.keys(HOPS)),
    factor('acao', ['absent', 'star']),
  ],
  pairwise: [factor('status', ['302', '307'])],
  build: (row) => {
    const form = elementForm(val(row, 'initiator'), val(row, 'crossorigin'));
    const [from, to] = pick(HOPS, val(row, 'hops'), 'redirect hops').map(host) as [string, string];
    const acao = val(row, 'acao') === 'star' ? [H.acao('*')] : [];
    const next: CaseResponse = { preflight: null, actual: answer(form, acao) };
    const first = redirect(Number(val(row, 'status')), acao, to, next);
    const page = route('same-origin').page;
    return {
      title: sentence(`${says(form)}, loading ${from} which redirects (${val(row, 'status')}) to ${to}; each hop answers with ${acaoSays(val(row, 'acao'))}.`),
      route: { page, target: from },
      request: { ...requestFor(form), url: targetUrl(from, 'initiators', `redirect-${val(row, 'hops')}`) },
      response: { preflight: null, actual: first },
    };
  },
};

// --- XMLHttpRequest, EventSource, fetch keepalive ------------------------------------------------

const TRIGGERS: Record<string, { method: string; headers: Header[]; says: string }> = {
  none: { method: 'GET', headers: [], says: 'a GET' },
  header: { method: 'GET', headers: [['X-Custom-Header', 'v']], says: 'a GET with a custom header' },
  method: { method: 'PUT', headers: [], says: 'a PUT' },
  post: { method: 'POST', headers: [['Content-Type', 'text/plain']], says: 'a text/plain POST' },
};

const BODY = 'cors-conformance';

function scriptedBlock(name: string, forms: string[], triggers: string[]): Block {
  return {
    topic: 'initiators',
    name,
    exhaustive: [
      factor('initiator', forms),
      factor('trigger', triggers),
      factor('acao', ['absent', 'star', 'echo', 'other']),
      factor('acac', Object.keys(ACAC_LABELS)),
    ],
    pairwise: [factor('route', ROUTE_LABELS), factor('cookie', ['yes', 'no']), factor('preflight', ['allows', 'none'])],
    allowed: cookieOnlySameSite,
    build: (row) => {
      const r = route(val(row, 'route'));
      const form = pick(DEFAULTS, val(row, 'initiator'), 'initiator');
      const trigger = pick(TRIGGERS, val(row, 'trigger'), 'trigger');
      const body = trigger.method === 'GET' ? null : BODY;
      const request = requestFor(form, { method: trigger.method, headers: trigger.headers, body });
      const cookie = val(row, 'cookie') === 'yes';
      const preflight =
        val(row, 'preflight') === 'allows'
          ? preflightAllowing({ origin: requestOrigin(r), method: trigger.method, headers: trigger.headers, credentials: request.credentials })
          : null;
      return {
        title: sentence(
          `${trigger.says} by ${says(form)} to ${r.says}${cookie ? ' that has a cookie' : ''}${preflight ? ' (a preflight is allowed)' : ''}, answered with ${acaoSays(val(row, 'acao'))} and ${acacSays(val(row, 'acac'))}.`,
        ),
        route: r,
        // EventSource gives the page no response headers to read.
        request: { ...request, ...(form.kind === 'eventsource' ? {} : { readHeaders: ['X-Exposed'] }), ...(cookie ? { withCookie: true } : {}) },
        response: { preflight, actual: answer(form, [...corsHeaders(row, r), H.aceh('X-Exposed'), ['X-Exposed', 'yes']]) },
      };
    },
  };
}

const xhrBlock = scriptedBlock('xhr', ['xhr', 'xhr-credentials'], ['none', 'header', 'method', 'post']);
const keepaliveBlock = scriptedBlock('keepalive', ['fetch-keepalive'], ['none', 'header', 'post']);
const eventSourceBlock = scriptedBlock('eventsource', ['eventsource', 'eventsource-credentials'], ['none']);

// --- Workers ---------------------------------------------------------------------------------------

const workerBlock: Block = {
  topic: 'initiators',
  name: 'worker',
  exhaustive: [
    factor('form', ['module-worker', 'worker-import']),
    factor('route', ['same-origin', 'same-site', 'cross-site', 'sandbox']),
    factor('acao', ['absent', 'star', 'echo']),
  ],
  pairwise: [],
  build: (row) => {
    const r = route(val(row, 'route'));
    const form: Initiator = val(row, 'form') === 'module-worker' ? { kind: 'worker', form: 'module-worker' } : pick(DEFAULTS, 'worker-import', 'initiator');
    return {
      title: sentence(`${says(form)} whose script is on ${r.says}, answered with ${acaoSays(val(row, 'acao'))}.`),
      route: r,
      request: requestFor(form),
      response: { preflight: null, actual: answer(form, acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r))) },
    };
  },
};

// --- Beacons: the body's type decides the mode ----------------------------------------------------

const BEACON_TYPES: Record<string, Header[]> = {
  'text-plain': [['Content-Type', 'text/plain']],
  urlencoded: [['Content-Type', 'application/x-www-form-urlencoded']],
  json: [['Content-Type', 'application/json']],
};

const beaconBlock: Block = {
  topic: 'initiators',
  name: 'beacon',
  exhaustive: [factor('type', Object.keys(BEACON_TYPES)), factor('preflight', ['allows', 'none']), factor('acao', ['absent', 'echo'])],
  pairwise: [factor('route', ['same-site', 'cross-site', 'https-cross-site', 'sandbox']), factor('cookie', ['yes', 'no'])],
  allowed: cookieOnlySameSite,
  build: (row) => {
    const r = route(val(row, 'route'));
    const headers = pick(BEACON_TYPES, val(row, 'type'), 'beacon body type');
    const form: Initiator = { kind: 'beacon' };
    const request = requestFor(form, { method: 'POST', headers, body: BODY });
    const cookie = val(row, 'cookie') === 'yes';
    const preflight =
      val(row, 'preflight') === 'allows' ? preflightAllowing({ origin: requestOrigin(r), method: 'POST', headers, credentials: request.credentials }) : null;
    return {
      title: sentence(
        `${says(form, val(row, 'type'))} to ${r.says}${cookie ? ' that has a cookie' : ''}${preflight ? ' (a preflight is allowed)' : ''}, answered with ${acaoSays(val(row, 'acao'))}.`,
      ),
      route: r,
      request: { ...request, ...(cookie ? { withCookie: true } : {}) },
      response: { preflight, actual: answer(form, [...acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r)), H.acac('true')]) },
    };
  },
};

// --- WebSockets: no CORS at all ---------------------------------------------------------------------

const websocketBlock: Block = {
  topic: 'initiators',
  name: 'websocket',
  exhaustive: [
    factor('route', ['same-origin', 'same-site', 'cross-site', 'sandbox']),
    factor('acao', ['absent', 'other', 'echo']),
    factor('status', ['101', '403']),
  ],
  pairwise: [],
  build: (row) => {
    const r = route(val(row, 'route'));
    const form = pick(DEFAULTS, 'websocket', 'initiator');
    const status = Number(val(row, 'status'));
    return {
      title: sentence(
        `${says(form)} to ${r.says}, whose handshake is ${status === 101 ? 'accepted (101)' : 'refused (403)'} with ${acaoSays(val(row, 'acao'))}.`,
      ),
      route: r,
      request: requestFor(form),
      response: { preflight: null, actual: answer(form, acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r)), status) },
    };
  },
};

// --- Cookies: which initiators send them by default ------------------------------------------------

const cookieBlock: Block = {
  topic: 'initiators',
  name: 'cookie',
  exhaustive: [factor('initiator', Object.keys(DEFAULTS)), factor('route', ['same-site', 'cross-site'])],
  pairwise: [],
  build: (row) => {
    const r = route(val(row, 'route'));
    const form = pick(DEFAULTS, val(row, 'initiator'), 'initiator');
    const beacon = form.kind === 'beacon';
    const request = requestFor(form, beacon ? { method: 'POST', headers: BEACON_TYPES['text-plain'] as Header[], body: BODY } : {});
    return {
      title: sentence(
        `${says(form)} to ${r.says} that has a cookie, answered with Access-Control-Allow-Origin set to the request's Origin and Access-Control-Allow-Credentials: true: is the cookie sent?`,
      ),
      route: r,
      request: { ...request, withCookie: true },
      response: { preflight: null, actual: answer(form, allowOrigin(requestOrigin(r), 'include'), form.kind === 'websocket' ? 101 : 200) },
      question: { asks: 'cookie-sent', site: r.site },
    };
  },
};

export const INITIATOR_BLOCKS: Block[] = [
  elementBlock,
  corsOnlyBlock,
  redirectBlock,
  xhrBlock,
  keepaliveBlock,
  eventSourceBlock,
  workerBlock,
  beaconBlock,
  websocketBlock,
  cookieBlock,
];
