// The ways a page loads something, as the topics about the reasons a load fails that are not
// CORS use them (corp, mime, mixed-content, bad-ports): one label per initiator in its plain
// form, with the request its standard makes and the answer it needs. A loader that makes a CORS
// request is answered with `Access-Control-Allow-Origin: *`, so that CORS is never what stops it
// and whatever does stop it is the rule the topic is about.
import type { Header, Initiator, ResponseRecipe } from '../../model/case.ts';
import { answer, requestFor, says } from './initiators.ts';
import { H, pick, type CaseParts } from './shared.ts';

export interface Loader {
  /** The initiator, as a phrase for titles. */
  says: string;
  request: Omit<CaseParts['request'], 'url'>;
  /** The answer the loader needs (its asset, else a text body), with these header lines and,
   *  for a CORS request, `Access-Control-Allow-Origin: *` after them. */
  answer(headers: Header[], status?: number): ResponseRecipe;
}

const BEACON_BODY = 'cors-conformance';

function loader(initiator: Initiator, cors: boolean): Loader {
  const beacon = initiator.kind === 'beacon';
  const request = requestFor(initiator, beacon ? { method: 'POST', headers: [['Content-Type', 'text/plain']], body: BEACON_BODY } : {});
  const status = initiator.kind === 'websocket' ? 101 : 200;
  return {
    says: says(initiator),
    request,
    answer: (headers, s = status) => answer(initiator, cors ? [...headers, H.acao('*')] : headers, s),
  };
}

const noCorsFetch: Loader = {
  says: 'fetch() in mode "no-cors"',
  request: { method: 'GET', headers: [], body: null, mode: 'no-cors', credentials: 'same-origin' },
  answer: (headers, status = 200) => ({ status, headers, body: 'ok' }),
};

/** Every loader by label. `fetch` is a CORS-mode fetch(). */
export const LOADERS: Record<string, Loader> = {
  fetch: loader({ kind: 'fetch' }, true),
  'fetch-no-cors': noCorsFetch,
  xhr: loader({ kind: 'xhr', withCredentials: false }, true),
  img: loader({ kind: 'img', crossorigin: 'absent' }, false),
  'img-anonymous': loader({ kind: 'img', crossorigin: 'anonymous' }, true),
  script: loader({ kind: 'script', crossorigin: 'absent' }, false),
  'module-element': loader({ kind: 'module-script', form: 'element', crossorigin: 'absent' }, true),
  stylesheet: loader({ kind: 'stylesheet', crossorigin: 'absent' }, false),
  video: loader({ kind: 'media', element: 'video', crossorigin: 'absent' }, false),
  audio: loader({ kind: 'media', element: 'audio', crossorigin: 'absent' }, false),
  'font-face': loader({ kind: 'font', form: 'font-face' }, true),
  eventsource: loader({ kind: 'eventsource', withCredentials: false }, true),
  'worker-import': loader({ kind: 'worker', form: 'worker-import' }, true),
  beacon: loader({ kind: 'beacon' }, true),
  websocket: loader({ kind: 'websocket' }, false),
};

export function loaderOf(label: string | undefined): Loader {
  return pick(LOADERS, label, 'loader');
}
