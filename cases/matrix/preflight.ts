// The CORS-preflight fetch (§4.8): which methods and header names a preflight answer allows,
// with and without credentials (WPT cors-preflight-star, cors-preflight,
// cors-preflight-response-validation), which statuses count as ok (cors-preflight-status),
// and that the preflight itself must pass the CORS check, Access-Control-Allow-Credentials
// included (§3.3.3: "must also be on the preflight response").
import type { Header } from '../../model/case.ts';
import { needsCorsPreflight } from '../../oracle/index.ts';
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
  allowOrigin,
  allowCredentials,
  preflightTrigger,
} from './shared.ts';

const TRIGGER: Header = ['X-Custom-Header', 'v'];

/** Access-Control-Allow-Methods forms, relative to the request's method (as the page wrote it). */
const ACAM: Record<string, (method: string) => string | null> = {
  absent: () => null,
  exact: (m) => m,
  upper: (m) => m.toUpperCase(),
  lower: (m) => m.toLowerCase(),
  star: () => '*',
  'star-and-exact': (m) => `*, ${m}`,
  'list-upper': () => 'GET, POST, PUT, PATCH, DELETE, CHICKEN',
  'list-lower': () => 'get, post, put, patch, delete, chicken',
  // Not a list of tokens: extracting the header values fails (cors-preflight-response-validation).
  invalid: () => 'Bad value',
};

const methodBlock: Block = {
  topic: 'preflight',
  name: 'methods',
  exhaustive: [
    factor('cred', ['omit', 'same-origin', 'include']),
    factor('method', ['PUT', 'put', 'PATCH', 'patch', 'pAtCh', 'DELETE', 'delete', 'CHICKEN', 'chicken', 'GET', 'POST']),
    factor('acam', Object.keys(ACAM)),
  ],
  pairwise: [
    factor('route', ['cross-site', 'same-site', 'http-to-https', 'https-cross-site', 'https-same-site', 'sandbox', 'data']),
    factor('pfstatus', ['200', '204']),
  ],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const credentials = credentialsOf(val(row, 'cred'));
    const sent = requestOrigin(r);
    // GET and POST need a reason to be preflighted: a custom header the server allows.
    const headers: Header[] = needsCorsPreflight(method, []) ? [] : [TRIGGER];
    const acam = pick(ACAM, val(row, 'acam'), 'ACAM form')(method);
    const cors = allowOrigin(sent, credentials);
    const pf = [...cors, ...(acam === null ? [] : [H.acam(acam)]), ...(headers.length ? [H.acah(TRIGGER[0])] : []), H.acma('0')];
    return {
      title: `A ${method}${headers.length ? ' with a custom header' : ''} with credentials ${credentials} to ${r.says}, whose preflight answer has ${acam === null ? 'no Access-Control-Allow-Methods' : `Access-Control-Allow-Methods: ${acam}`}.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors' },
      response: { preflight: { status: Number(val(row, 'pfstatus')), headers: pf }, actual: ok(cors) },
    };
  },
};

const HEADER_SETS: Record<string, Header[]> = {
  custom: [TRIGGER],
  'two-custom': [
    ['X-Zeta', 'z'],
    ['X-Alpha', 'a'],
  ],
  authorization: [['Authorization', 'Bearer token']],
  'authorization-and-custom': [['Authorization', 'Bearer token'], TRIGGER],
  'content-type-json': [['Content-Type', 'application/json']],
  'custom-upper': [['X-CUSTOM-HEADER', 'v']],
  // Only the CORS-unsafe names go into Access-Control-Request-Headers, not Accept.
  'safelisted-and-custom': [['Accept', 'application/json'], TRIGGER],
  'accept-129': [['Accept', `text/${'a'.repeat(124)}`]],
  'range-suffix': [['Range', 'bytes=-500']],
};

/** Access-Control-Allow-Headers forms, relative to the request's header names. */
const ACAH: Record<string, (names: string[]) => string | null> = {
  absent: () => null,
  exact: (n) => n.join(', '),
  lower: (n) => n.map((x) => x.toLowerCase()).join(', '),
  upper: (n) => n.map((x) => x.toUpperCase()).join(', '),
  star: () => '*',
  // Authorization is the CORS non-wildcard request-header name: only a literal entry covers it.
  'star-and-authorization': () => '*, Authorization',
  superset: () => 'X-Alpha, X-Zeta, X-Custom-Header, Authorization, Content-Type, Accept, Range, X-Other',
  other: () => 'X-Other',
  invalid: () => 'header name with space',
};

const headerBlock: Block = {
  topic: 'preflight',
  name: 'headers',
  exhaustive: [
    factor('cred', ['omit', 'include']),
    factor('method', ['GET', 'PUT']),
    factor('hdr', Object.keys(HEADER_SETS)),
    factor('acah', Object.keys(ACAH)),
  ],
  pairwise: [
    factor('route', ['cross-site', 'same-site', 'http-to-https', 'https-cross-site', 'https-same-site', 'sandbox', 'data']),
    factor('pfstatus', ['200', '204']),
  ],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const credentials = credentialsOf(val(row, 'cred'));
    const sent = requestOrigin(r);
    const headers = pick(HEADER_SETS, val(row, 'hdr'), 'header set');
    const acah = pick(ACAH, val(row, 'acah'), 'ACAH form')([...new Set(headers.map(([n]) => n))]);
    const cors = allowOrigin(sent, credentials);
    const pf = [...cors, H.acam(method), ...(acah === null ? [] : [H.acah(acah)]), H.acma('0')];
    return {
      title: `A ${method} with ${headers.map(([n]) => n).join(' and ')} and credentials ${credentials} to ${r.says}, whose preflight answer has ${acah === null ? 'no Access-Control-Allow-Headers' : `Access-Control-Allow-Headers: ${acah}`}.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors' },
      response: { preflight: { status: Number(val(row, 'pfstatus')), headers: pf }, actual: ok(cors) },
    };
  },
};

// An ok status is 200-299 (§2.2.3); a 3xx preflight is not followed, so it fails too.
const statusBlock: Block = {
  topic: 'preflight',
  name: 'status',
  exhaustive: [
    factor('pfstatus', [
      '200',
      '201',
      '202',
      '203',
      '204',
      '205',
      '206',
      '299',
      '300',
      '301',
      '302',
      '303',
      '304',
      '307',
      '308',
      '400',
      '401',
      '403',
      '404',
      '405',
      '500',
      '501',
      '502',
      '503',
      '505',
    ]),
    factor('trigger', ['method', 'header']),
  ],
  pairwise: [factor('route', ['cross-site', 'same-site', 'https-cross-site', 'sandbox']), factor('cred', ['omit', 'include'])],
  build: (row) => {
    const r = route(val(row, 'route'));
    const credentials = credentialsOf(val(row, 'cred'));
    const sent = requestOrigin(r);
    const { method, headers, says, allow } = preflightTrigger(val(row, 'trigger'), 'PUT', TRIGGER);
    const cors = allowOrigin(sent, credentials);
    const pf = [...cors, ...allow];
    return {
      title: `A ${says} with credentials ${credentials} to ${r.says}, whose preflight answer has status ${val(row, 'pfstatus')} and otherwise allows it.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors' },
      response: { preflight: { status: Number(val(row, 'pfstatus')), headers: pf }, actual: ok(cors) },
    };
  },
};

// The preflight answer passes its own CORS check with the request's credentials mode
// (§4.8 step "CORS check for request and response"), separately from the actual response.
const originBlock: Block = {
  topic: 'preflight',
  name: 'origin',
  exhaustive: [
    factor('cred', ['omit', 'include']),
    factor('pfacao', ['absent', 'star', 'echo', 'other', 'null', 'trailing-slash', 'two-lines-same', 'upper']),
    factor('pfacac', ['absent', 'true']),
    factor('acao', ['absent', 'star', 'echo']),
  ],
  pairwise: [factor('route', ['cross-site', 'same-site', 'https-cross-site', 'https-same-site', 'sandbox', 'data']), factor('trigger', ['method', 'header'])],
  build: (row) => {
    const r = route(val(row, 'route'));
    const credentials = credentialsOf(val(row, 'cred'));
    const sent = requestOrigin(r);
    const { method, headers, says, allow } = preflightTrigger(val(row, 'trigger'), 'DELETE', TRIGGER);
    const pf = [...acaoLines(val(row, 'pfacao'), r.page.origin, sent), ...(val(row, 'pfacac') === 'true' ? [H.acac('true')] : []), ...allow];
    const actual = [...acaoLines(val(row, 'acao'), r.page.origin, sent), ...allowCredentials(credentials)];
    return {
      title: `A ${says} with credentials ${credentials} to ${r.says}: the preflight answer has ${acaoSays(val(row, 'pfacao'))}${val(row, 'pfacac') === 'true' ? ' and Access-Control-Allow-Credentials: true' : ''}, the actual response ${acaoSays(val(row, 'acao'))}.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors' },
      response: { preflight: { status: 204, headers: pf }, actual: ok(actual) },
    };
  },
};

export const PREFLIGHT_BLOCKS: Block[] = [methodBlock, headerBlock, statusBlock, originBlock];
