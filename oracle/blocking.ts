// Why a load fails when CORS is not the reason: the checks main fetch and HTTP fetch make
// besides the CORS protocol. Before a request goes out: the Mixed Content standard's upgrade of
// an image, audio or video request to https and its block of every other http request from an
// https page, and bad ports. On every opaque response, redirects included: the
// Cross-Origin-Resource-Policy check (HTTP fetch), read with the client's embedder policy
// (COEP). On the response main fetch hands back: blocking by MIME type (a script served as an
// image, audio, video or text/csv) and by X-Content-Type-Options: nosniff (a script or style
// sheet without its type).
//
// What the Fetch standard does not say (as of the commit anchors.ts names): opaque-response
// blocking (ORB). It is an open change to the standard (whatwg/fetch pull requests 1442 and
// 1755); Chromium and Firefox ship their own versions of it, WebKit none. The model follows the
// standard's text, and cases/divergences.ts records what the engines do instead.
import { byteCaseInsensitiveEqual, getDecodeSplit, getHeader, type HeaderList } from './headers.ts';
import { isJavaScriptMimeEssence } from './initiators.ts';

// --- The request's client -----------------------------------------------------------------------

/** An embedder policy value (HTML's Cross-Origin-Embedder-Policy). */
export type EmbedderPolicyValue = 'unsafe-none' | 'require-corp' | 'credentialless';

/** A client's embedder policy: the enforced value and the report-only one. */
export interface EmbedderPolicy {
  value: EmbedderPolicyValue;
  reportOnlyValue: EmbedderPolicyValue;
}

/**
 * The embedder policy of every page the reference run and grading use: the probe page is
 * served without Cross-Origin-Embedder-Policy, so its value is "unsafe-none" and a response
 * without Cross-Origin-Resource-Policy is never blocked. With "require-corp" such a response
 * would count as `same-origin`; with "credentialless", as `same-origin` when the request
 * included credentials (crossOriginResourcePolicyInternalCheck has both).
 */
export const PAGE_EMBEDDER_POLICY: EmbedderPolicy = { value: 'unsafe-none', reportOnlyValue: 'unsafe-none' };

// --- Sites and potentially trustworthy URLs -------------------------------------------------------

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

/**
 * The host's registrable domain, with a public suffix list of one rule: the last label (every
 * virtual origin is under `.test` or `.example`). An IP address and a one-label host have none.
 */
function registrableDomain(host: string): string | null {
  if (isIpAddress(host)) return null;
  const labels = host.replace(/\.$/, '').split('.');
  return labels.length < 2 ? null : labels.slice(-2).join('.');
}

/** HTML's "schemelessly same site" for two tuple origins (an opaque origin, null here, is same
 *  site with nothing the model compares it to). */
export function schemelesslySameSite(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const ha = new URL(a).hostname;
  const hb = new URL(b).hostname;
  const ra = registrableDomain(ha);
  const rb = registrableDomain(hb);
  return ra !== null || rb !== null ? ra === rb : ha === hb;
}

/** Secure Contexts' "potentially trustworthy URL", for the URLs a case can fetch: https and wss,
 *  loopback addresses and `localhost` names, and data:. */
export function isPotentiallyTrustworthyUrl(url: URL): boolean {
  if (url.protocol === 'https:' || url.protocol === 'wss:' || url.protocol === 'data:') return true;
  const host = url.hostname;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]') return true;
  return host === 'localhost' || host === 'localhost.' || host.endsWith('.localhost') || host.endsWith('.localhost.');
}

// --- Bad ports ----------------------------------------------------------------------------------

/** The bad ports of §2.9, with the service each is for. */
export const BAD_PORTS: ReadonlyMap<number, string> = new Map([
  [0, '—'],
  [1, 'tcpmux'],
  [7, 'echo'],
  [9, 'discard'],
  [11, 'systat'],
  [13, 'daytime'],
  [15, 'netstat'],
  [17, 'qotd'],
  [19, 'chargen'],
  [20, 'ftp-data'],
  [21, 'ftp'],
  [22, 'ssh'],
  [23, 'telnet'],
  [25, 'smtp'],
  [37, 'time'],
  [42, 'name'],
  [43, 'nicname'],
  [53, 'domain'],
  [69, 'tftp'],
  [77, '—'],
  [79, 'finger'],
  [87, '—'],
  [95, 'supdup'],
  [101, 'hostname'],
  [102, 'iso-tsap'],
  [103, 'gppitnp'],
  [104, 'acr-nema'],
  [109, 'pop2'],
  [110, 'pop3'],
  [111, 'sunrpc'],
  [113, 'auth'],
  [115, 'sftp'],
  [117, 'uucp-path'],
  [119, 'nntp'],
  [123, 'ntp'],
  [135, 'epmap'],
  [137, 'netbios-ns'],
  [139, 'netbios-ssn'],
  [143, 'imap'],
  [161, 'snmp'],
  [179, 'bgp'],
  [389, 'ldap'],
  [427, 'svrloc'],
  [465, 'submissions'],
  [512, 'exec'],
  [513, 'login'],
  [514, 'shell'],
  [515, 'printer'],
  [526, 'tempo'],
  [530, 'courier'],
  [531, 'chat'],
  [532, 'netnews'],
  [540, 'uucp'],
  [548, 'afp'],
  [554, 'rtsp'],
  [556, 'remotefs'],
  [563, 'nntps'],
  [587, 'submission'],
  [601, 'syslog-conn'],
  [636, 'ldaps'],
  [989, 'ftps-data'],
  [990, 'ftps'],
  [993, 'imaps'],
  [995, 'pop3s'],
  [1719, 'h323gatestat'],
  [1720, 'h323hostcall'],
  [1723, 'pptp'],
  [2049, 'nfs'],
  [3659, 'apple-sasl'],
  [4045, 'npp'],
  [4190, 'sieve'],
  [5060, 'sip'],
  [5061, 'sips'],
  [6000, 'x11'],
  [6566, 'sane-port'],
  [6665, 'ircu'],
  [6666, 'ircu'],
  [6667, 'ircu'],
  [6668, 'ircu'],
  [6669, 'ircu'],
  [6679, 'osaut'],
  [6697, 'ircs-u'],
  [10080, 'amanda'],
]);

/** "Should request be blocked due to a bad port": an HTTP(S) URL whose port (explicit; a
 *  default port is null) is a bad port. The port when it is, else null. */
export function badPortOf(url: URL): number | null {
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.port === '') return null;
  const port = Number(url.port);
  return BAD_PORTS.has(port) ? port : null;
}

// --- Mixed content --------------------------------------------------------------------------------

/** The destinations whose mixed content is upgradeable: every other one is blockable. */
const UPGRADEABLE_DESTINATIONS = ['image', 'audio', 'video'];

/**
 * "Upgrade a mixed content request to a potentially trustworthy URL, if appropriate": an http
 * image, audio or video request (an `<img>` without srcset) from a client that prohibits mixed
 * security contexts goes to https instead; the URL it goes to, or null when it is not upgraded.
 */
export function mixedContentUpgrade(url: URL, destination: string, prohibitsMixedSecurityContexts: boolean): URL | null {
  if (!prohibitsMixedSecurityContexts || isPotentiallyTrustworthyUrl(url) || isIpAddress(url.hostname)) return null;
  if (!UPGRADEABLE_DESTINATIONS.includes(destination) || url.protocol !== 'http:') return null;
  const upgraded = new URL(url.href);
  upgraded.protocol = 'https:';
  return upgraded;
}

/** "Should fetching request be blocked as mixed content?": from a client that prohibits mixed
 *  security contexts, a URL that is not potentially trustworthy is blocked. */
export function blockedAsMixedContent(url: URL, prohibitsMixedSecurityContexts: boolean): boolean {
  return prohibitsMixedSecurityContexts && !isPotentiallyTrustworthyUrl(url);
}

/** "Does settings prohibit mixed security contexts?" for a page on `pageOrigin`: an https page,
 *  and every document inside it (an opaque-origin frame's ancestor is that page). */
export function prohibitsMixedSecurityContexts(pageOrigin: string): boolean {
  return isPotentiallyTrustworthyUrl(new URL(pageOrigin));
}

// --- Cross-Origin-Resource-Policy ---------------------------------------------------------------

export type CorpPolicy = 'same-origin' | 'same-site' | 'cross-origin';

/** The response a CORP check reads: its URL, its header list, and whether its request included
 *  credentials (for COEP credentialless). */
export interface CorpResponse {
  url: URL;
  headers: HeaderList;
  requestIncludesCredentials: boolean;
}

export interface CorpInternalCheck {
  result: 'allowed' | 'blocked';
  /** The policy applied: the header's, or the one the embedder policy gives a response
   *  without a valid header; null for none. */
  policy: CorpPolicy | null;
}

/** "Cross-origin resource policy internal check": the header's value only when it is exactly one
 *  of the three (case-sensitive; two lines combine and match none), the embedder policy's
 *  default otherwise, then the origin against the response URL's. */
export function crossOriginResourcePolicyInternalCheck(
  origin: string | null,
  embedderPolicyValue: EmbedderPolicyValue,
  response: CorpResponse,
  forNavigation = false,
): CorpInternalCheck {
  if (forNavigation && embedderPolicyValue === 'unsafe-none') return { result: 'allowed', policy: null };
  const value = getHeader(response.headers, 'Cross-Origin-Resource-Policy');
  let policy: CorpPolicy | null = value === 'same-origin' || value === 'same-site' || value === 'cross-origin' ? value : null;
  if (policy === null) {
    if (embedderPolicyValue === 'require-corp') policy = 'same-origin';
    else if (embedderPolicyValue === 'credentialless' && (response.requestIncludesCredentials || forNavigation)) policy = 'same-origin';
  }
  const responseOrigin = response.url.origin;
  switch (policy) {
    case null:
    case 'cross-origin':
      return { result: 'allowed', policy };
    case 'same-origin':
      return { result: origin !== null && origin === responseOrigin ? 'allowed' : 'blocked', policy };
    case 'same-site': {
      // A response over https never matches an http origin, even on the same site.
      const schemeOk = origin !== null && (new URL(origin).protocol === 'https:' || response.url.protocol !== 'https:');
      return { result: schemelesslySameSite(origin, responseOrigin) && schemeOk ? 'allowed' : 'blocked', policy };
    }
  }
}

/** "Cross-origin resource policy check" (violation reports aside): blocked when the header
 *  blocks on its own, or when the client's embedder policy does. */
export function crossOriginResourcePolicyCheck(origin: string | null, embedderPolicy: EmbedderPolicy, response: CorpResponse): CorpInternalCheck {
  const own = crossOriginResourcePolicyInternalCheck(origin, 'unsafe-none', response);
  if (own.result === 'blocked') return own;
  return crossOriginResourcePolicyInternalCheck(origin, embedderPolicy.value, response);
}

// --- MIME type and nosniff ----------------------------------------------------------------------

const SCRIPT_LIKE_DESTINATIONS = ['audioworklet', 'paintworklet', 'script', 'serviceworker', 'sharedworker', 'worker'];

export function isScriptLikeDestination(destination: string): boolean {
  return SCRIPT_LIKE_DESTINATIONS.includes(destination);
}

/** "Should response to request be blocked due to its MIME type?", given the response's MIME type
 *  essence (null for failure): a script-like destination refuses audio, image, video and text/csv. */
export function blockedDueToMimeType(essence: string | null, destination: string): boolean {
  if (essence === null || !isScriptLikeDestination(destination)) return false;
  return essence.startsWith('audio/') || essence.startsWith('image/') || essence.startsWith('video/') || essence === 'text/csv';
}

/** "Determine nosniff": the first value of X-Content-Type-Options (got, decoded and split) is
 *  `nosniff`, ASCII case-insensitively. */
export function determineNosniff(headers: HeaderList): boolean {
  const first = getDecodeSplit(headers, 'X-Content-Type-Options')?.[0];
  return first !== undefined && byteCaseInsensitiveEqual(first, 'nosniff');
}

/** "Should response to request be blocked due to nosniff?": with nosniff, a script-like
 *  destination needs a JavaScript MIME type and "style" needs text/css (essence null: failure). */
export function blockedDueToNosniff(headers: HeaderList, essence: string | null, destination: string): boolean {
  if (!determineNosniff(headers)) return false;
  if (isScriptLikeDestination(destination)) return essence === null || !isJavaScriptMimeEssence(essence);
  if (destination === 'style') return essence !== 'text/css';
  return false;
}
