// Bad ports: the Fetch standard's list of ports (smtp, x11, irc, …) that no fetch may connect
// to, whatever the page or the server says. The browser refuses before it connects; the proxy
// still serves these origins, so an engine that connects gets the case's answer and the run
// sees it. A port that is not bad is the control, and a redirect from a good URL to a bad port
// shows the check runs on every hop. The redirect block leaves out two loaders whose page never
// learns the outcome there (measured: WebKitGTK's `<img>` and Firefox's XHR fire neither load
// nor error within 15 s), which the run can only record as a harness error.
import { ORIGINS, PORT_ORIGINS } from '../../model/origins.ts';
import { sentence } from './initiators.ts';
import { loaderOf } from './loaders.ts';
import { factor, pick, redirect, route, targetUrl, val, type Block } from './shared.ts';

const PORTS: Record<string, string> = PORT_ORIGINS;

function portSays(label: string): string {
  const url = new URL(pick(PORTS, label, 'port'));
  return `port ${url.port}${label.startsWith('bad-') ? ' (a bad port)' : ' (not a bad port)'}`;
}

const portBlock: Block = {
  topic: 'bad-ports',
  name: 'port',
  exhaustive: [factor('port', Object.keys(PORTS)), factor('loader', ['fetch', 'fetch-no-cors', 'xhr', 'img', 'script', 'websocket'])],
  pairwise: [],
  build: (row) => {
    const target = pick(PORTS, val(row, 'port'), 'port');
    const load = loaderOf(val(row, 'loader'));
    return {
      title: sentence(`${load.says}, loading the cross-site host on ${portSays(val(row, 'port'))}.`),
      route: { page: route('cross-site').page, target },
      request: load.request,
      response: { preflight: null, actual: load.answer([]) },
    };
  },
};

const redirectBlock: Block = {
  topic: 'bad-ports',
  name: 'redirect',
  exhaustive: [factor('port', ['bad-6000', 'ok-8080']), factor('loader', ['fetch', 'fetch-no-cors', 'script'])],
  pairwise: [],
  build: (row) => {
    const to = pick(PORTS, val(row, 'port'), 'port');
    const load = loaderOf(val(row, 'loader'));
    const next = { preflight: null, actual: load.answer([]) };
    const first = redirect(302, load.request.mode === 'cors' ? [['Access-Control-Allow-Origin', '*']] : [], to, next);
    return {
      title: sentence(`${load.says}, loading a cross-site target which redirects (302) to the same host on ${portSays(val(row, 'port'))}.`),
      route: { page: route('cross-site').page, target: ORIGINS.crossSite },
      request: { ...load.request, url: targetUrl(ORIGINS.crossSite, 'bad-ports', 'redirect') },
      response: { preflight: null, actual: first },
    };
  },
};

export const BAD_PORT_BLOCKS: Block[] = [portBlock, redirectBlock];
