// The CORS check's byte-for-byte comparison of Access-Control-Allow-Origin with the
// serialized request origin (§4.10; WPT cors/origin.htm's ≈65 strings, cors-origin,
// cors-multiple-origins: several lines combine with ", " and so always fail), from every
// kind of page: same-origin, same-site, cross-site, both schemes, and the opaque origin of a
// sandboxed or data: iframe, whose requests say `Origin: null` (WPT data-url-iframe,
// sandboxed-iframe). And which requests carry an Origin header at all (§3.2).
import type { Header } from '../../model/case.ts';
import {
  ACAO_VALUES,
  H,
  acaoLines,
  acaoSays,
  bodyForMethod,
  credentialsOf,
  factor,
  ok,
  preflightAllowing,
  requestOrigin,
  route,
  val,
  type Block,
} from './shared.ts';

const ALL_ROUTES = [
  'same-origin',
  'same-site',
  'cross-site',
  'http-to-https',
  'https-same-site',
  'https-cross-site',
  'sandbox',
  'sandbox-parent',
  'data',
  'data-https',
];

const acaoBlock: Block = {
  topic: 'origins',
  name: 'acao',
  exhaustive: [
    factor(
      'acao',
      Object.keys(ACAO_VALUES).filter((k) => k !== 'echo'),
    ),
    factor('route', ALL_ROUTES),
  ],
  pairwise: [factor('method', ['GET', 'POST']), factor('cred', ['omit', 'same-origin']), factor('preflight', ['no', 'yes'])],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const credentials = credentialsOf(val(row, 'cred'));
    const lines = acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r));
    const headers: Header[] = val(row, 'preflight') === 'yes' ? [['X-Custom-Header', 'v']] : [];
    // The same Access-Control-Allow-Origin on the preflight answer: both must pass the check.
    const pf = headers.length ? { status: 204, headers: [...lines, H.acah('X-Custom-Header'), H.acam(method)] } : null;
    return {
      title: `A ${method}${headers.length ? ' with a custom header' : ''} to ${r.says} answered with ${acaoSays(val(row, 'acao'))}${lines.length > 1 ? ` (${lines.length} lines)` : ''}.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors' },
      response: { preflight: pf, actual: ok(lines) },
    };
  },
};

const originHeaderBlock: Block = {
  topic: 'origins',
  name: 'origin-header',
  exhaustive: [
    factor('method', ['GET', 'HEAD', 'POST', 'PUT']),
    factor('mode', ['cors', 'no-cors']),
    factor('route', ['same-origin', 'https-same-origin', 'same-site', 'cross-site', 'https-cross-site', 'sandbox', 'sandbox-parent', 'data']),
  ],
  pairwise: [],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const mode = val(row, 'mode') === 'no-cors' ? 'no-cors' : 'cors';
    const sent = requestOrigin(r);
    return {
      title: `Which Origin header a ${mode} ${method} to ${r.says} carries, and whether it is allowed when the server reflects it.`,
      route: r,
      request: { method, headers: [], body: bodyForMethod(method), credentials: 'omit', mode },
      response: {
        preflight: preflightAllowing({ origin: sent, method, headers: [], credentials: 'omit' }),
        actual: ok(acaoLines('echo', r.page.origin, sent)),
      },
    };
  },
};

export const ORIGIN_BLOCKS: Block[] = [acaoBlock, originHeaderBlock];
