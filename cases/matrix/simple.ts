// Requests that may go without a preflight: the CORS-safelisted methods and request-headers
// (§2.2.1, §2.2.2) and the edges of the safelist (WPT cors-no-preflight,
// cors-preflight-not-cors-safelisted, cors/cors-safelisted-request-header, simple-requests.htm),
// actual-response statuses, and what mode no-cors keeps of a request (request-no-cors guard).
import type { Header } from '../../model/case.ts';
import { H, acaoLines, acaoSays, bodyForMethod, credentialsOf, factor, ok, pick, preflightAllowing, requestOrigin, route, val, type Block } from './shared.ts';

interface HeaderVariant {
  headers: Header[];
  says: string;
}

const hv = (headers: Header[], says: string): HeaderVariant => ({ headers, says });
const repeat = (ch: string, n: number): string => ch.repeat(n);

/** Request-header sets at the edges of "CORS-safelisted request-header". */
export const HEADER_VARIANTS: Record<string, HeaderVariant> = {
  none: hv([], 'no extra header'),
  'accept-json': hv([['Accept', 'application/json']], 'Accept: application/json'),
  'accept-128': hv([['Accept', `text/${repeat('a', 123)}`]], 'a 128-byte Accept value (the limit)'),
  'accept-129': hv([['Accept', `text/${repeat('a', 124)}`]], 'a 129-byte Accept value (one over the limit)'),
  'accept-quote': hv([['Accept', '"']], 'Accept: " (a CORS-unsafe request-header byte)'),
  'accept-brace': hv([['Accept', 'text/{plain}']], 'Accept with { } (CORS-unsafe bytes)'),
  'accept-ctl': hv([['Accept', 'text/\u0001plain']], 'Accept with the control byte 0x01'),
  'accept-del': hv([['Accept', 'text/\u007fplain']], 'Accept with DEL (0x7F)'),
  'accept-language': hv([['Accept-Language', 'en-US,en;q=0.5']], 'Accept-Language: en-US,en;q=0.5'),
  'accept-language-at': hv([['Accept-Language', '@']], 'Accept-Language: @ (outside the language byte set)'),
  'accept-language-ctl': hv([['Accept-Language', '\u0001']], 'Accept-Language with the control byte 0x01'),
  'accept-language-underscore': hv([['Accept-Language', 'en_US']], 'Accept-Language: en_US (underscore is outside the set)'),
  'content-language': hv([['Content-Language', 'fr']], 'Content-Language: fr'),
  'content-language-slash': hv([['Content-Language', 'fr/ca']], 'Content-Language: fr/ca (slash is outside the set)'),
  'ct-urlencoded': hv([['Content-Type', 'application/x-www-form-urlencoded']], 'Content-Type: application/x-www-form-urlencoded'),
  'ct-multipart': hv([['Content-Type', 'multipart/form-data; boundary=x']], 'Content-Type: multipart/form-data with a boundary'),
  'ct-text-plain': hv([['Content-Type', 'text/plain']], 'Content-Type: text/plain'),
  'ct-charset': hv([['Content-Type', 'text/plain;charset=utf-8']], 'Content-Type: text/plain;charset=utf-8'),
  'ct-title-case': hv([['Content-Type', 'Text/Plain;charset=utf-8']], 'Content-Type: Text/Plain;charset=utf-8 (MIME types are case-insensitive)'),
  'ct-upper': hv([['Content-Type', 'TEXT/PLAIN']], 'Content-Type: TEXT/PLAIN'),
  'ct-html': hv([['Content-Type', 'text/html']], 'Content-Type: text/html'),
  'ct-json': hv([['Content-Type', 'application/json']], 'Content-Type: application/json'),
  'ct-space-slash': hv([['Content-Type', 'text /plain']], 'Content-Type: text /plain (not a valid MIME type)'),
  'ct-bare-param': hv([['Content-Type', 'text/plain;garbage']], 'Content-Type: text/plain;garbage (a parameter without = is ignored)'),
  'ct-trailing-comma': hv([['Content-Type', 'text/plain,']], 'Content-Type: text/plain, (not a valid MIME type)'),
  'ct-multipart-quote': hv([['Content-Type', 'multipart/form-data;"']], 'Content-Type: multipart/form-data;" (a CORS-unsafe byte)'),
  'ct-129': hv([['Content-Type', `text/plain;a=${repeat('b', 116)}`]], 'a 129-byte text/plain Content-Type'),
  'range-open': hv([['Range', 'bytes=0-']], 'Range: bytes=0-'),
  'range-closed': hv([['Range', 'bytes=0-10']], 'Range: bytes=0-10'),
  'range-suffix': hv([['Range', 'bytes=-500']], 'Range: bytes=-500 (a suffix range has no start)'),
  'range-multi': hv([['Range', 'bytes=0-10,20-30']], 'Range: bytes=0-10,20-30 (more than one range)'),
  'range-space': hv([['Range', 'bytes= 0-10']], 'Range: bytes= 0-10 (whitespace)'),
  'range-upper': hv([['Range', 'BYTES=0-10']], 'Range: BYTES=0-10'),
  'range-reversed': hv([['Range', 'bytes=10-0']], 'Range: bytes=10-0 (start after end)'),
  'range-plus': hv([['Range', 'bytes=+0-10']], 'Range: bytes=+0-10'),
  'total-1024': hv(
    Array.from({ length: 8 }, (): Header => ['Accept-Language', repeat('a', 128)]),
    'eight 128-byte Accept-Language lines (1024 bytes in total, the limit)',
  ),
  'total-1026': hv(
    Array.from({ length: 9 }, (): Header => ['Accept-Language', repeat('a', 114)]),
    'nine 114-byte Accept-Language lines (1026 bytes in total, over 1024)',
  ),
  authorization: hv([['Authorization', 'Bearer token']], 'Authorization: Bearer token'),
  'custom-mixed': hv([['X-Custom-Header', 'v']], 'the custom header X-Custom-Header'),
  'custom-lower': hv([['x-custom-header', 'v']], 'the custom header x-custom-header'),
  'last-event-id': hv([['Last-Event-ID', '1']], 'Last-Event-ID (no longer safelisted)'),
  'forbidden-accept-charset': hv([['Accept-Charset', 'utf-8']], 'Accept-Charset (a forbidden request-header, dropped)'),
  'forbidden-sec': hv([['Sec-Custom', '1']], 'Sec-Custom (a forbidden request-header, dropped)'),
  'override-trace': hv([['X-HTTP-Method-Override', 'TRACE']], 'X-HTTP-Method-Override: TRACE (forbidden, dropped)'),
  'override-put': hv([['X-HTTP-Method-Override', 'PUT']], 'X-HTTP-Method-Override: PUT (an ordinary custom header)'),
};

const headerBlock: Block = {
  topic: 'simple',
  name: 'headers',
  exhaustive: [factor('method', ['GET', 'POST']), factor('hdr', Object.keys(HEADER_VARIANTS))],
  pairwise: [
    factor('route', ['cross-site', 'same-site', 'http-to-https', 'https-cross-site', 'sandbox', 'data', 'same-origin']),
    // none: the server has no preflight handling, so a preflight shows as a failure.
    factor('pf', ['none', 'allow']),
    factor('acao', ['echo', 'star']),
    factor('cred', ['omit', 'same-origin']),
  ],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const v = pick(HEADER_VARIANTS, val(row, 'hdr'), 'header variant');
    const headers = v.headers;
    const credentials = credentialsOf(val(row, 'cred'));
    const sent = requestOrigin(r);
    return {
      title: `A ${method} with ${v.says} to ${r.says}, where the server ${val(row, 'pf') === 'none' ? 'has no preflight handling' : 'allows any preflight'} and sends ${acaoSays(val(row, 'acao'))}.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors' },
      response: {
        preflight: val(row, 'pf') === 'allow' ? preflightAllowing({ origin: sent, method, headers, credentials }) : null,
        actual: ok(acaoLines(val(row, 'acao'), r.page.origin, sent)),
      },
    };
  },
};

// Only the six normalized names are uppercased (§2.2.1 normalize): `post` becomes POST and
// stays safelisted; WPT simple-requests.htm and cors-preflight-star test the case forms.
const methodBlock: Block = {
  topic: 'simple',
  name: 'methods',
  exhaustive: [
    factor('method', ['GET', 'HEAD', 'POST', 'get', 'head', 'post', 'Get', 'pOsT']),
    factor('acao', ['absent', 'echo', 'star', 'other']),
    factor('pf', ['none', 'allow']),
  ],
  pairwise: [
    factor('route', ['cross-site', 'same-site', 'http-to-https', 'https-same-site', 'https-cross-site', 'sandbox', 'data', 'same-origin']),
    factor('cred', ['omit', 'same-origin', 'include']),
    factor('status', ['200', '404']),
  ],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const credentials = credentialsOf(val(row, 'cred'));
    const sent = requestOrigin(r);
    const actual = acaoLines(val(row, 'acao'), r.page.origin, sent);
    if (credentials === 'include') actual.push(H.acac('true'));
    return {
      title: `A ${method} request with credentials ${credentials} to ${r.says}, answered ${val(row, 'status')} with ${acaoSays(val(row, 'acao'))}, by a server that ${val(row, 'pf') === 'none' ? 'has no preflight handling' : 'allows any preflight'}.`,
      route: r,
      request: { method, headers: [], body: bodyForMethod(method), credentials, mode: 'cors' },
      response: {
        preflight: val(row, 'pf') === 'allow' ? preflightAllowing({ origin: sent, method, headers: [], credentials }) : null,
        actual: ok(actual, Number(val(row, 'status'))),
      },
    };
  },
};

// "An actual CORS response may have any status" (§3.3.3): only the CORS check decides.
// 3xx here carry no Location, so they are final responses (§4.5 step "location URL is null").
const statusBlock: Block = {
  topic: 'simple',
  name: 'status',
  exhaustive: [
    factor('status', [
      '200',
      '201',
      '202',
      '203',
      '204',
      '206',
      '299',
      '300',
      '302',
      '303',
      '400',
      '401',
      '403',
      '404',
      '405',
      '410',
      '418',
      '500',
      '501',
      '502',
      '503',
      '599',
    ]),
    factor('acao', ['absent', 'echo']),
  ],
  pairwise: [factor('method', ['GET', 'POST', 'HEAD']), factor('route', ['cross-site', 'same-site', 'https-cross-site', 'sandbox'])],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const sent = requestOrigin(r);
    return {
      title: `A ${method} to ${r.says} answered with status ${val(row, 'status')}${Number(val(row, 'status')) >= 300 && Number(val(row, 'status')) < 400 ? ' and no Location' : ''} and ${acaoSays(val(row, 'acao'))}.`,
      route: r,
      request: { method, headers: [], body: bodyForMethod(method), credentials: 'omit', mode: 'cors' },
      response: { preflight: null, actual: ok(acaoLines(val(row, 'acao'), r.page.origin, sent), Number(val(row, 'status'))) },
    };
  },
};

// Mode no-cors: the method must be CORS-safelisted (else new Request throws), only
// no-CORS-safelisted headers survive the request-no-cors guard, and the response is opaque
// whatever it says (WPT cors-basic, headers-no-cors, fetch/origin/no-cors).
const noCorsBlock: Block = {
  topic: 'simple',
  name: 'no-cors',
  exhaustive: [
    factor('method', ['GET', 'HEAD', 'POST', 'post', 'PUT', 'patch', 'CHICKEN']),
    factor('hdr', ['none', 'accept-json', 'ct-text-plain', 'ct-json', 'custom-mixed', 'range-open', 'accept-language-at', 'authorization']),
  ],
  pairwise: [
    factor('route', ['cross-site', 'same-site', 'http-to-https', 'https-cross-site', 'sandbox', 'same-origin']),
    factor('acao', ['absent', 'star']),
    factor('status', ['200', '404']),
  ],
  build: (row) => {
    const r = route(val(row, 'route'));
    const method = val(row, 'method');
    const v = pick(HEADER_VARIANTS, val(row, 'hdr'), 'header variant');
    return {
      title: `A no-cors ${method} with ${v.says} to ${r.says}, answered ${val(row, 'status')} with ${acaoSays(val(row, 'acao'))}.`,
      route: r,
      request: { method, headers: v.headers, body: bodyForMethod(method), credentials: 'omit', mode: 'no-cors' },
      response: { preflight: null, actual: ok(acaoLines(val(row, 'acao'), r.page.origin, requestOrigin(r)), Number(val(row, 'status'))) },
    };
  },
};

export const SIMPLE_BLOCKS: Block[] = [headerBlock, methodBlock, statusBlock, noCorsBlock];
