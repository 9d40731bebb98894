// Credentials mode and the CORS check (§3.3.5 "CORS protocol and credentials", §4.10):
// with "include", `*` is not a wildcard and Access-Control-Allow-Credentials must be exactly
// `true` (WPT cors/credentials-flag.htm tries TRUE, True, "true", 1) on the preflight answer
// too. Cookies: same-site targets (cross-site cookies are each browser's own policy),
// plus one small cross-site block whose results are informational.
import type { Header } from '../../model/case.ts';
import {
  H,
  acaoLines,
  acaoSays,
  bodyForMethod,
  credentialsOf,
  factor,
  ok,
  pick,
  requestOrigin,
  route,
  val,
  type Block,
  preflightTrigger,
  cookieOnlySameSite,
} from './shared.ts';

const ACAC: Record<string, string[]> = {
  absent: [],
  true: ['true'],
  'title-case': ['True'],
  upper: ['TRUE'],
  false: ['false'],
  quoted: ['"true"'],
  one: ['1'],
  'two-lines': ['true', 'true'],
  'spaces-around': [' true '],
};

const acacSays = (label: string): string => {
  const lines = pick(ACAC, label, 'ACAC form');
  return lines.length === 0 ? 'no Access-Control-Allow-Credentials' : `Access-Control-Allow-Credentials ${lines.map((l) => `"${l}"`).join(' and ')}`;
};

const checkBlock: Block = {
  topic: 'credentials',
  name: 'check',
  exhaustive: [
    factor('cred', ['omit', 'same-origin', 'include']),
    factor('acao', ['absent', 'star', 'echo', 'page', 'other', 'null', 'trailing-slash']),
    factor('acac', Object.keys(ACAC)),
  ],
  pairwise: [
    factor('route', ['same-site', 'https-same-site', 'same-origin', 'https-same-origin', 'cross-site', 'https-cross-site', 'sandbox']),
    factor('cookie', ['yes', 'no']),
    factor('method', ['GET', 'POST']),
  ],
  allowed: cookieOnlySameSite,
  build: (row) => {
    const r = route(val(row, 'route'));
    const credentials = credentialsOf(val(row, 'cred'));
    const method = val(row, 'method');
    const actual: Header[] = [...acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r)), ...pick(ACAC, val(row, 'acac'), 'ACAC form').map(H.acac)];
    const cookie = val(row, 'cookie') === 'yes';
    return {
      title: `A ${method} with credentials ${credentials}${cookie ? ' and a cookie set on the target' : ''} to ${r.says}, answered with ${acaoSays(val(row, 'acao'))} and ${acacSays(val(row, 'acac'))}.`,
      route: r,
      request: { method, headers: [], body: bodyForMethod(method), credentials, mode: 'cors', ...(cookie ? { withCookie: true } : {}) },
      response: { preflight: null, actual: ok(actual) },
    };
  },
};

const TRIGGER: Header = ['X-Custom-Header', 'v'];

const preflightedBlock: Block = {
  topic: 'credentials',
  name: 'preflighted',
  exhaustive: [
    factor('cred', ['omit', 'same-origin', 'include']),
    factor('pfacao', ['star', 'echo']),
    factor('pfacac', Object.keys(ACAC)),
    factor('acac', ['absent', 'true']),
  ],
  pairwise: [
    factor('route', ['same-site', 'https-same-site', 'cross-site', 'https-cross-site']),
    factor('trigger', ['method', 'header']),
    factor('cookie', ['yes', 'no']),
  ],
  allowed: cookieOnlySameSite,
  build: (row) => {
    const r = route(val(row, 'route'));
    const credentials = credentialsOf(val(row, 'cred'));
    const sent = requestOrigin(r);
    const { method, headers, says, allow } = preflightTrigger(val(row, 'trigger'), 'PUT', TRIGGER);
    const pf: Header[] = [...acaoLines(val(row, 'pfacao'), r.page.origin, sent), ...pick(ACAC, val(row, 'pfacac'), 'ACAC form').map(H.acac), ...allow];
    const actual: Header[] = [H.acao(sent), ...pick(ACAC, val(row, 'acac'), 'ACAC form').map(H.acac)];
    const cookie = val(row, 'cookie') === 'yes';
    return {
      title: `A ${says} with credentials ${credentials} to ${r.says}: the preflight answer has ${acaoSays(val(row, 'pfacao'))} and ${acacSays(val(row, 'pfacac'))}, the actual response ${acacSays(val(row, 'acac'))}.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors', ...(cookie ? { withCookie: true } : {}) },
      response: { preflight: { status: 204, headers: pf }, actual: ok(actual) },
    };
  },
};

// Whether a cross-site cookie is sent is browser policy (third-party cookie blocking and
// partitioning), not CORS: a few rows to see it, read as information.
const crossSiteCookieBlock: Block = {
  topic: 'credentials',
  name: 'cross-site-cookie',
  exhaustive: [
    factor('cred', ['omit', 'same-origin', 'include']),
    factor('route', ['cross-site', 'https-cross-site', 'http-to-https']),
    factor('acao', ['echo', 'star']),
  ],
  pairwise: [],
  build: (row) => {
    const r = route(val(row, 'route'));
    const credentials = credentialsOf(val(row, 'cred'));
    return {
      title: `A GET with credentials ${credentials} to ${r.says} that has a cookie, answered with ${acaoSays(val(row, 'acao'))} and Access-Control-Allow-Credentials: true.`,
      route: r,
      request: { method: 'GET', headers: [], body: null, credentials, mode: 'cors', withCookie: true },
      response: { preflight: null, actual: ok([...acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r)), H.acac('true')]) },
    };
  },
};

export const CREDENTIALS_BLOCKS: Block[] = [checkBlock, preflightedBlock, crossSiteCookieBlock];
