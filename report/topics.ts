// A plain-words explanation of each topic, the kind a good CORS article gives. The report
// illustrates each with counts and example rows picked from the results (report/view.ts).
// Text only: `backticks` mark code. Section names are the Fetch standard's.
import type { Topic } from '../model/case.ts';

export interface TopicText {
  title: string;
  paragraphs: string[];
  /** Fetch standard sections to read next. */
  anchors: string[];
}

export const TOPIC_TEXT: Record<Topic, TopicText> = {
  basics: {
    title: 'The basic rule: the server opts in to being read',
    paragraphs: [
      'A page may send requests to other origins, but by default its script may not read the answers. CORS is how a server says "this page may read my response": it adds `Access-Control-Allow-Origin` naming the page\'s origin, or `*` for any origin.',
      'Without that header the request usually still reaches the server; what fails is the read. `fetch()` rejects with a TypeError, and the browser writes the detailed reason to the console, not to the page.',
      "CORS relaxes the same-origin policy; it is not a firewall. It protects the reader (the user's data on the other origin), not the server from being called.",
    ],
    anchors: ['https://fetch.spec.whatwg.org/#http-cors-protocol', 'https://fetch.spec.whatwg.org/#concept-cors-check'],
  },
  simple: {
    title: 'Requests without a preflight',
    paragraphs: [
      'A request that an HTML form could already send goes straight to the server: method GET, HEAD or POST, and only CORS-safelisted request headers (`Accept`, `Accept-Language`, `Content-Language`, and `Content-Type` limited to `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`, with short values).',
      'For these the browser checks only the response. So the server acts on the request even when the page is then refused the response: never rely on CORS to stop a state-changing POST.',
    ],
    anchors: ['https://fetch.spec.whatwg.org/#cors-safelisted-method', 'https://fetch.spec.whatwg.org/#cors-safelisted-request-header'],
  },
  preflight: {
    title: 'Preflight: asking first',
    paragraphs: [
      'Anything else (PUT, DELETE, PATCH, a custom header, `Authorization`, a JSON `Content-Type`) is asked about first with an OPTIONS request carrying `Access-Control-Request-Method` and `Access-Control-Request-Headers` (names lower-cased, sorted, comma-separated).',
      'The server must answer with an ok status (2xx), `Access-Control-Allow-Origin`, and `Access-Control-Allow-Methods` / `Access-Control-Allow-Headers` covering what was asked. If the preflight fails, the actual request is never sent.',
      'The CORS-safelisted methods never need to be listed, and `*` is a wildcard in these headers only for requests without credentials.',
    ],
    anchors: ['https://fetch.spec.whatwg.org/#cors-preflight-fetch', 'https://fetch.spec.whatwg.org/#http-access-control-allow-headers'],
  },
  credentials: {
    title: 'Cookies and other credentials',
    paragraphs: [
      'A cross-origin `fetch()` sends no cookies unless the page asks with `credentials: "include"`. Then the response must carry `Access-Control-Allow-Credentials: true` and name the exact origin in `Access-Control-Allow-Origin`: `*` is not accepted, and neither is `*` in the Allow-Methods, Allow-Headers and Expose-Headers lists, where it is taken literally.',
      "Whether the cookie is actually sent also depends on its SameSite attribute and the browser's third-party cookie policy. That is cookie policy, not CORS, and browsers differ.",
    ],
    anchors: ['https://fetch.spec.whatwg.org/#cors-protocol-and-credentials', 'https://fetch.spec.whatwg.org/#http-access-control-allow-credentials'],
  },
  exposure: {
    title: 'Which response headers the page can read',
    paragraphs: [
      'An allowed response does not show the page all its headers. Only the CORS-safelisted response headers (`Cache-Control`, `Content-Language`, `Content-Length`, `Content-Type`, `Expires`, `Last-Modified`, `Pragma`) are readable, plus those the server lists in `Access-Control-Expose-Headers`.',
      '`Access-Control-Expose-Headers: *` exposes all of them for requests without credentials. `Set-Cookie` is never readable.',
    ],
    anchors: ['https://fetch.spec.whatwg.org/#http-access-control-expose-headers', 'https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name'],
  },
  'preflight-cache': {
    title: 'Caching preflights',
    paragraphs: [
      'A successful preflight may be remembered for `Access-Control-Max-Age` seconds, per origin, URL and credentials mode, for the methods and headers it allowed. A later request those cover skips the OPTIONS round trip; one that needs more sends a new preflight.',
      'Browsers cap the age (Chromium at 2 hours, Firefox at 24 hours, WebKit at 10 minutes), and `Access-Control-Max-Age: 0` means do not cache.',
    ],
    anchors: ['https://fetch.spec.whatwg.org/#concept-cache', 'https://fetch.spec.whatwg.org/#http-access-control-max-age'],
  },
  redirects: {
    title: 'Redirects',
    paragraphs: [
      'A CORS request follows redirects, and every hop\'s response must pass the CORS check. After a redirect from one cross-origin server to another, the browser sends `Origin: null` (the origin is "tainted"), so the final server must allow `null` or `*`.',
      'A redirect to a URL with credentials in it (`user:pass@host`) fails, and a preflight itself must not be answered with a redirect.',
    ],
    anchors: ['https://fetch.spec.whatwg.org/#http-redirect-fetch', 'https://fetch.spec.whatwg.org/#concept-request-tainted-origin'],
  },
  origins: {
    title: 'What counts as the same origin',
    paragraphs: [
      "An origin is scheme, host and port: `http://a.test` and `https://a.test` differ, and so do `a.test` and `b.a.test`. `Access-Control-Allow-Origin` is compared with the request's `Origin` as a string: one origin, no lists, no patterns.",
      'Sandboxed iframes and `data:` documents have an opaque origin and send `Origin: null`. Allowing `null` allows every such document on the web at once, which is why it is discouraged.',
    ],
    anchors: ['https://html.spec.whatwg.org/multipage/browsers.html#origin', 'https://fetch.spec.whatwg.org/#http-origin'],
  },
  initiators: {
    title: 'Beyond fetch(): images, scripts, stylesheets, fonts, media, event streams, workers, beacons and sockets',
    paragraphs: [
      'Each way a page makes a request sets its own request mode, credentials mode and destination. An element without a `crossorigin` attribute makes a no-cors request: it loads, but the page cannot read it (a tainted canvas, a muted "Script error.", `cssRules` that throws). With `crossorigin` the request is a CORS request, and a failed CORS check is an error event.',
    ],
    anchors: ['https://html.spec.whatwg.org/multipage/urls-and-fetching.html#cors-settings-attributes', 'https://fetch.spec.whatwg.org/#concept-request-mode'],
  },
  corp: {
    title: 'Cross-Origin-Resource-Policy: the response says who may embed it',
    paragraphs: [
      'A response can refuse to be loaded by other origins whatever CORS says: `Cross-Origin-Resource-Policy: same-origin` lets only its own origin load it, `same-site` its own site, and `cross-origin` anyone. Without the header (or with a value the standard does not know, such as `Same-Origin`: the match is case-sensitive) there is no policy.',
      'The check applies to no-cors loads (an `<img>`, a classic `<script>`, a stylesheet, media, `fetch()` in mode "no-cors"), whose responses are opaque, and to every redirect on the way. A CORS request (`<img crossorigin>`, `fetch()`) never meets it: CORS already asked the server. A blocked load is a network error: the image fires `error`, the promise rejects.',
    ],
    anchors: ['https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header', 'https://fetch.spec.whatwg.org/#cross-origin-resource-policy-check'],
  },
  mime: {
    title: 'Blocked by its MIME type, and by nosniff',
    paragraphs: [
      'A response a page loads as a script is refused when its `Content-Type` says it is an image, audio, video or `text/csv`, whatever its bytes are. With `X-Content-Type-Options: nosniff` a script must be served with a JavaScript type and a stylesheet as `text/css`; a module script needs a JavaScript type and a stylesheet `text/css` even without it. Images and `fetch()` are not checked this way.',
      'Browsers go further than the Fetch standard for no-cors responses of other origins: Chromium and Firefox drop the bodies they guess a page should never see (opaque-response blocking, a change still under discussion), WebKit does not. The rows below say, per engine, which loads that means.',
    ],
    anchors: [
      'https://fetch.spec.whatwg.org/#should-response-to-request-be-blocked-due-to-mime-type?',
      'https://fetch.spec.whatwg.org/#should-response-to-request-be-blocked-due-to-nosniff?',
    ],
  },
  'mixed-content': {
    title: 'Mixed content: an https page that loads http',
    paragraphs: [
      'An https page is a secure context, and what it loads over plain http could be read or changed on the way. Images, audio and video are upgraded to https (and load if the server answers there); everything else (scripts, stylesheets, fonts, `fetch()`, XHR, EventSource, workers, beacons, WebSockets) is blocked before it is sent, on every redirect hop too.',
      'CORS has no say in it: the server never sees the request. Serve APIs and assets over https.',
    ],
    anchors: ['https://w3c.github.io/webappsec-mixed-content/#should-block-fetch', 'https://fetch.spec.whatwg.org/#main-fetch'],
  },
  'bad-ports': {
    title: 'Bad ports: what the browser will not connect to',
    paragraphs: [
      'The Fetch standard lists ports of services that are not HTTP (25 for SMTP, 6000 for X11, 6667 for IRC, 10080 for Amanda, and more): a fetch to any of them is a network error before a connection is opened, for every kind of load and on every redirect hop. Port 8080 is not on the list.',
      'The page sees the same failure as for an unreachable server, and the browser names the port only in its console.',
    ],
    anchors: ['https://fetch.spec.whatwg.org/#port-blocking', 'https://fetch.spec.whatwg.org/#block-bad-port'],
  },
};
