// Which characters a page's host can carry, measured in the three engines. Grading makes
// attacker origins such as https://app.example.com_.evil.test (grade/search/candidates.ts): the allowed
// host, one character, the attacker's domain. Such an origin is worth a probe only when a
// browser can stand on it: its URL parser keeps the character in the host, it takes that host
// through an HTTP proxy, the page runs, and the page's fetch() sends an Origin header naming it.
//
// How it was measured: scripts/measure-host-characters.ts (re-run it when an engine moves; it
// prints this table as JSON and what changed since). For each candidate, grading's own probe
// path (pipeline/probe-run.ts) opens the probe page on https://app.example.com<c>.evil.test
// through the virtual-origin proxy (servers/proxy.ts) and fetches https://target.test,
// routed to a local server that answers `Access-Control-Allow-Origin: *`; the proxy's
// exchange log gives the Origin header. A tap between the browser and the proxy notes what the
// browser wrote in its CONNECT line (absolute-form request line for http) and percent-encodes
// the bytes Node's HTTP parser cannot read there (see `proxyAsIs`). When the page opened on
// the engine's own serialization of the origin, the probe runs again from that form (see
// `asWritten`). Node's WHATWG URL parser, which the grader screens with, is asked as well.
//
// Measured on Chromium 156.0.8078.114 (Playwright 1.64.1 over CDP), Firefox 153.8.0esr
// (WebDriver BiDi), WebKitGTK 2.50.6 (MiniBrowser, WebKitWebDriver), Node 20.20.2:
// - All three and Node: `$ + - _`, and `%5f` (sent as `_`) and `%2e` (sent as `.`, giving the
//   empty label of app.example.com..evil.test). A trailing dot stays in the Origin
//   (https://app.example.com.), uppercase is lowercased, an explicit :443 is dropped.
// - Firefox takes no other character to the network. Its URL parser keeps
//   ! & ' ( ) , ; = ~ ` { } (and %60 as a backtick) in the host, but the navigation ends on
//   its "server not found" error page without any CONNECT to the proxy; its URL parser
//   rejects `"`, `*` and space.
// - Chromium also serves ! " & ' ( ) * , ; = ` { } ~. It writes `*` as %2A (URL, CONNECT line
//   and Origin header alike), decodes %60 to a raw backtick, and sends `"`, the backtick and
//   the braces raw in the Origin header and in its CONNECT line.
// - WebKit serves the same as Chromium except `;`: its network layer cuts the host at the `;`
//   (CONNECT app.example.com:443) and the page never loads. It keeps `*` as `*`.
// - Space: only Chromium parses it (as %20). Node's URL rejects that host, so the proxy refuses
//   the CONNECT (`refusedBy: 'proxy'`). Through a proxy that accepts any host, Chromium
//   served the page and sent `Origin: https://app.example.com%20.evil.test`.
// - `# / ? \` end the host in every parser (the page is app.example.com's), `@` makes the
//   allowed host userinfo (the page opens on https://.evil.test), and `% : < > [ ] ^ |` and
//   %0b are invalid URLs everywhere, Node included.
// - Plain http (`--scheme http`) gives the same acceptance and Origin values. Only WebKit
//   differs: it percent-encodes the double quote, the backtick and the braces in its
//   absolute-form request line, which the proxy then reads as it is.
// - Since then the proxy percent-encodes those bytes of a request target itself
//   (servers/method-shim.ts): re-measured through it, Chromium and WebKit serve pages on hosts
//   with the double quote, the backtick and the braces, and send them raw in Origin. The
//   `proxyAsIs` column keeps what was measured without that.
import { ENGINE_IDS, type EngineId } from '../../model/results.ts';
import { ATTACKER_DOMAIN } from '../../model/virtual-origins.ts';

/** One tested form: a character or a percent-encoded one between the allowed host and the
 *  attacker's domain, or a whole host written another way (`host-form`). */
export interface HostCharacterInput {
  /** As written into the URL. */
  input: string;
  kind: 'character' | 'percent-encoded' | 'host-form';
}

/** What one engine did with a page on the candidate's origin. */
export type EngineHostResult =
  | {
      /** A page could be served from such a host, and its fetch() sent an Origin header
       *  with the tested part in the host. */
      accepted: true;
      /** How the Origin header renders the tested part (for `host-form`, the whole host[:port]). */
      sentAs: string;
      /** The Origin header the target received. */
      origin: string;
      /** The page opened on the origin exactly as written: grading's page opener
       *  (pipeline/pages.ts) insists on that, so only these work unchanged as a page origin. */
      asWritten: boolean;
      /** The engine wrote no byte in its CONNECT line (or request line) that Node's HTTP
       *  parser refuses (`"`, backtick, braces). Measured before the proxy percent-encoded
       *  those bytes itself; it serves them now. */
      proxyAsIs: boolean;
    }
  | {
      accepted: false;
      sentAs: null;
      /** The Origin header, when a page ran but its host does not hold the tested part. */
      origin: string | null;
      /** The engine itself refused (its URL parser, its network layer), or it took the whole
       *  host to the proxy, which refused it. */
      refusedBy: 'engine' | 'proxy';
      /** The authorities the engine asked the proxy for, as it wrote them. */
      connect?: string;
      /** The engine's or the page opener's own words. */
      note: string;
    };

/** What Node's WHATWG URL parser makes of the candidate (`new URL(x).origin`). */
export interface NodeHostResult {
  accepted: boolean;
  sentAs: string | null;
  origin: string | null;
}

export interface HostCharacter extends HostCharacterInput {
  node: NodeHostResult;
  engines: Record<EngineId, EngineHostResult>;
}

/** A row as one measurement run makes it: only the engines that ran. */
export type MeasuredHostCharacter = Omit<HostCharacter, 'engines'> & { engines: Partial<Record<EngineId, EngineHostResult>> };

const ALLOWED_HOST = 'app.example.com';
/** What follows the tested part: a dot and the attacker's domain. */
const ATTACKER_SUFFIX = `.${ATTACKER_DOMAIN}`;

/** Every form measured: the printable ASCII characters that are not letters, digits or a dot,
 *  four percent-encoded ones, and three ways of writing the allowed host itself. */
export const HOST_CHARACTER_INPUTS: readonly HostCharacterInput[] = [
  ...[...' !"#$%&\'()*+,-/:;<=>?@[\\]^_`{|}~'].map((input) => ({ input, kind: 'character' as const })),
  ...['%60', '%0b', '%2e', '%5f'].map((input) => ({ input, kind: 'percent-encoded' as const })),
  ...[`${ALLOWED_HOST}.`, 'App.Example.COM', `${ALLOWED_HOST}:443`].map((input) => ({ input, kind: 'host-form' as const })),
];

/** The origin a candidate is measured on, as written (for http, :443 becomes the default :80). */
export function hostUrl(c: HostCharacterInput, scheme: 'http:' | 'https:'): string {
  if (c.kind !== 'host-form') return `${scheme}//${ALLOWED_HOST}${c.input}${ATTACKER_SUFFIX}`;
  return `${scheme}//${scheme === 'http:' ? c.input.replace(/:443$/, ':80') : c.input}`;
}

/** The tested part of a serialized origin: what stands between the allowed host and the
 *  attacker's domain (for `host-form`, the whole host[:port]); null when the host is not
 *  the allowed host, something, then the attacker's domain. */
export function hostPart(c: HostCharacterInput, origin: string): string | null {
  const authority = origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (c.kind === 'host-form') return authority;
  const inside = authority.length > ALLOWED_HOST.length + ATTACKER_SUFFIX.length && authority.startsWith(ALLOWED_HOST) && authority.endsWith(ATTACKER_SUFFIX);
  return inside ? authority.slice(ALLOWED_HOST.length, -ATTACKER_SUFFIX.length) : null;
}

/** The measurement over https, row by row in the order of HOST_CHARACTER_INPUTS. */
export const HOST_CHARACTERS: readonly HostCharacter[] = [
  {
    input: ' ',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'proxy',
        connect: 'app.example.com%20.evil.test:443',
        note: 'net::ERR_TUNNEL_CONNECTION_FAILED at https://app.example.com .evil.test/__cc/probe.html',
      },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '!',
    kind: 'character',
    node: { accepted: true, sentAs: '!', origin: 'https://app.example.com!.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '!', origin: 'https://app.example.com!.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '!', origin: 'https://app.example.com!.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '"',
    kind: 'character',
    node: { accepted: true, sentAs: '"', origin: 'https://app.example.com".evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '"', origin: 'https://app.example.com".evil.test', asWritten: true, proxyAsIs: false },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: true, sentAs: '"', origin: 'https://app.example.com".evil.test', asWritten: true, proxyAsIs: false },
    },
  },
  {
    input: '#',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: 'https://app.example.com' },
    engines: {
      chromium: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'engine',
        connect: 'app.example.com:443',
        note: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE at https://app.example.com/#.evil.test/__cc/probe.html',
      },
      firefox: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'engine',
        connect: 'app.example.com:443',
        note: 'Error: the probe runtime is not loaded in this page',
      },
      webkit: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'engine',
        connect: 'app.example.com:443',
        note: "undefined is not an object (evaluating 'window.__cc.run')",
      },
    },
  },
  {
    input: '$',
    kind: 'character',
    node: { accepted: true, sentAs: '$', origin: 'https://app.example.com$.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '$', origin: 'https://app.example.com$.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: true, sentAs: '$', origin: 'https://app.example.com$.evil.test', asWritten: true, proxyAsIs: true },
      webkit: { accepted: true, sentAs: '$', origin: 'https://app.example.com$.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '%',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '&',
    kind: 'character',
    node: { accepted: true, sentAs: '&', origin: 'https://app.example.com&.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '&', origin: 'https://app.example.com&.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '&', origin: 'https://app.example.com&.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: "'",
    kind: 'character',
    node: { accepted: true, sentAs: "'", origin: "https://app.example.com'.evil.test" },
    engines: {
      chromium: { accepted: true, sentAs: "'", origin: "https://app.example.com'.evil.test", asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: "'", origin: "https://app.example.com'.evil.test", asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '(',
    kind: 'character',
    node: { accepted: true, sentAs: '(', origin: 'https://app.example.com(.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '(', origin: 'https://app.example.com(.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '(', origin: 'https://app.example.com(.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: ')',
    kind: 'character',
    node: { accepted: true, sentAs: ')', origin: 'https://app.example.com).evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: ')', origin: 'https://app.example.com).evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: ')', origin: 'https://app.example.com).evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '*',
    kind: 'character',
    node: { accepted: true, sentAs: '*', origin: 'https://app.example.com*.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '%2A', origin: 'https://app.example.com%2A.evil.test', asWritten: false, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: true, sentAs: '*', origin: 'https://app.example.com*.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '+',
    kind: 'character',
    node: { accepted: true, sentAs: '+', origin: 'https://app.example.com+.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '+', origin: 'https://app.example.com+.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: true, sentAs: '+', origin: 'https://app.example.com+.evil.test', asWritten: true, proxyAsIs: true },
      webkit: { accepted: true, sentAs: '+', origin: 'https://app.example.com+.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: ',',
    kind: 'character',
    node: { accepted: true, sentAs: ',', origin: 'https://app.example.com,.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: ',', origin: 'https://app.example.com,.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: ',', origin: 'https://app.example.com,.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '-',
    kind: 'character',
    node: { accepted: true, sentAs: '-', origin: 'https://app.example.com-.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '-', origin: 'https://app.example.com-.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: true, sentAs: '-', origin: 'https://app.example.com-.evil.test', asWritten: true, proxyAsIs: true },
      webkit: { accepted: true, sentAs: '-', origin: 'https://app.example.com-.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '/',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: 'https://app.example.com' },
    engines: {
      chromium: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'engine',
        note: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE at https://app.example.com/.evil.test/__cc/probe.html',
      },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Error: the probe runtime is not loaded in this page' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: ':',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: ';',
    kind: 'character',
    node: { accepted: true, sentAs: ';', origin: 'https://app.example.com;.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: ';', origin: 'https://app.example.com;.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '<',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '=',
    kind: 'character',
    node: { accepted: true, sentAs: '=', origin: 'https://app.example.com=.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '=', origin: 'https://app.example.com=.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '=', origin: 'https://app.example.com=.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '>',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '?',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: 'https://app.example.com' },
    engines: {
      chromium: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'engine',
        note: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE at https://app.example.com/?.evil.test/__cc/probe.html',
      },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Error: the probe runtime is not loaded in this page' },
      webkit: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'engine',
        connect: 'app.example.com:443',
        note: "undefined is not an object (evaluating 'window.__cc.run')",
      },
    },
  },
  {
    input: '@',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: 'https://.evil.test' },
    engines: {
      chromium: {
        accepted: false,
        sentAs: null,
        origin: 'https://.evil.test',
        refusedBy: 'engine',
        connect: '.evil.test:443',
        note: 'the page opened on https://.evil.test',
      },
      firefox: {
        accepted: false,
        sentAs: null,
        origin: 'https://.evil.test',
        refusedBy: 'engine',
        connect: '.evil.test:443',
        note: 'the page opened on https://.evil.test',
      },
      webkit: {
        accepted: false,
        sentAs: null,
        origin: 'https://.evil.test',
        refusedBy: 'engine',
        connect: '.evil.test:443',
        note: 'the page opened on https://.evil.test',
      },
    },
  },
  {
    input: '[',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '\\',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: 'https://app.example.com' },
    engines: {
      chromium: {
        accepted: false,
        sentAs: null,
        origin: null,
        refusedBy: 'engine',
        note: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE at https://app.example.com/.evil.test/__cc/probe.html',
      },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Error: the probe runtime is not loaded in this page' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: ']',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '^',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '_',
    kind: 'character',
    node: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test', asWritten: true, proxyAsIs: true },
      webkit: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '`',
    kind: 'character',
    node: { accepted: true, sentAs: '`', origin: 'https://app.example.com`.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '`', origin: 'https://app.example.com`.evil.test', asWritten: true, proxyAsIs: false },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '`', origin: 'https://app.example.com`.evil.test', asWritten: true, proxyAsIs: false },
    },
  },
  {
    input: '{',
    kind: 'character',
    node: { accepted: true, sentAs: '{', origin: 'https://app.example.com{.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '{', origin: 'https://app.example.com{.evil.test', asWritten: true, proxyAsIs: false },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '{', origin: 'https://app.example.com{.evil.test', asWritten: true, proxyAsIs: false },
    },
  },
  {
    input: '|',
    kind: 'character',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '}',
    kind: 'character',
    node: { accepted: true, sentAs: '}', origin: 'https://app.example.com}.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '}', origin: 'https://app.example.com}.evil.test', asWritten: true, proxyAsIs: false },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '}', origin: 'https://app.example.com}.evil.test', asWritten: true, proxyAsIs: false },
    },
  },
  {
    input: '~',
    kind: 'character',
    node: { accepted: true, sentAs: '~', origin: 'https://app.example.com~.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '~', origin: 'https://app.example.com~.evil.test', asWritten: true, proxyAsIs: true },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '~', origin: 'https://app.example.com~.evil.test', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: '%60',
    kind: 'percent-encoded',
    node: { accepted: true, sentAs: '`', origin: 'https://app.example.com`.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '`', origin: 'https://app.example.com`.evil.test', asWritten: false, proxyAsIs: false },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): unknown error' },
      webkit: { accepted: true, sentAs: '`', origin: 'https://app.example.com`.evil.test', asWritten: false, proxyAsIs: false },
    },
  },
  {
    input: '%0b',
    kind: 'percent-encoded',
    node: { accepted: false, sentAs: null, origin: null },
    engines: {
      chromium: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (Page.navigate): Cannot navigate to invalid URL' },
      firefox: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: 'Protocol error (browsingContext.navigate): invalid argument' },
      webkit: { accepted: false, sentAs: null, origin: null, refusedBy: 'engine', note: "undefined is not an object (evaluating 'window.__cc.run')" },
    },
  },
  {
    input: '%2e',
    kind: 'percent-encoded',
    node: { accepted: true, sentAs: '.', origin: 'https://app.example.com..evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '.', origin: 'https://app.example.com..evil.test', asWritten: false, proxyAsIs: true },
      firefox: { accepted: true, sentAs: '.', origin: 'https://app.example.com..evil.test', asWritten: false, proxyAsIs: true },
      webkit: { accepted: true, sentAs: '.', origin: 'https://app.example.com..evil.test', asWritten: false, proxyAsIs: true },
    },
  },
  {
    input: '%5f',
    kind: 'percent-encoded',
    node: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test' },
    engines: {
      chromium: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test', asWritten: false, proxyAsIs: true },
      firefox: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test', asWritten: false, proxyAsIs: true },
      webkit: { accepted: true, sentAs: '_', origin: 'https://app.example.com_.evil.test', asWritten: false, proxyAsIs: true },
    },
  },
  {
    input: 'app.example.com.',
    kind: 'host-form',
    node: { accepted: true, sentAs: 'app.example.com.', origin: 'https://app.example.com.' },
    engines: {
      chromium: { accepted: true, sentAs: 'app.example.com.', origin: 'https://app.example.com.', asWritten: true, proxyAsIs: true },
      firefox: { accepted: true, sentAs: 'app.example.com.', origin: 'https://app.example.com.', asWritten: true, proxyAsIs: true },
      webkit: { accepted: true, sentAs: 'app.example.com.', origin: 'https://app.example.com.', asWritten: true, proxyAsIs: true },
    },
  },
  {
    input: 'App.Example.COM',
    kind: 'host-form',
    node: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com' },
    engines: {
      chromium: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com', asWritten: false, proxyAsIs: true },
      firefox: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com', asWritten: false, proxyAsIs: true },
      webkit: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com', asWritten: false, proxyAsIs: true },
    },
  },
  {
    input: 'app.example.com:443',
    kind: 'host-form',
    node: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com' },
    engines: {
      chromium: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com', asWritten: false, proxyAsIs: true },
      firefox: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com', asWritten: false, proxyAsIs: true },
      webkit: { accepted: true, sentAs: 'app.example.com', origin: 'https://app.example.com', asWritten: false, proxyAsIs: true },
    },
  },
];

/**
 * The characters at least one of `engines` accepts in a host, as they go into a URL, one form
 * per distinct result (`%5f` gives what `_` gives, `%60` what a backtick gives: only the first
 * stays). With `proxyAsIs`, only those the project's proxy serves as it is. From the stored
 * table, for all three engines: ! " $ & ' ( ) * + , - ; = _ and the backtick, { } ~ %2e;
 * for Firefox alone: $ + - _ %2e; with `proxyAsIs`, the double quote, the backtick and the
 * braces drop out.
 */
export function hostCharactersFor(
  engines: readonly EngineId[] = ENGINE_IDS,
  options: { proxyAsIs?: boolean; table?: readonly MeasuredHostCharacter[] } = {},
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of options.table ?? HOST_CHARACTERS) {
    if (row.kind === 'host-form') continue;
    const serves = (e: EngineId) => {
      const r = row.engines[e];
      return r?.accepted === true && (!options.proxyAsIs || r.proxyAsIs);
    };
    if (!engines.some(serves)) continue;
    const key = engines.map((e) => row.engines[e]?.sentAs ?? '').join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row.input);
  }
  return out;
}
