// Cross-Origin-Resource-Policy: a response's own word on who may embed it, checked on every
// opaque response (HTTP fetch), redirect hops included, whatever CORS would say. Each block
// crosses the header's values (the three the standard knows, none, and one it does not, being
// case-sensitive) with the route's site relation and the loaders that load opaquely; an
// `<img crossorigin>` is the control, a CORS request the check never applies to.
import type { CaseResponse, Header } from '../../model/case.ts';
import { sentence } from './initiators.ts';
import { loaderOf } from './loaders.ts';
import { factor, host, pick, redirect, route, targetUrl, val, type Block } from './shared.ts';

const CORP_VALUES: Record<string, Header[]> = {
  absent: [],
  'same-origin': [['Cross-Origin-Resource-Policy', 'same-origin']],
  'same-site': [['Cross-Origin-Resource-Policy', 'same-site']],
  'cross-origin': [['Cross-Origin-Resource-Policy', 'cross-origin']],
  // The standard matches the three values case-sensitively: any other is no policy.
  invalid: [['Cross-Origin-Resource-Policy', 'Same-Origin']],
};

function corpSays(label: string): string {
  const lines = pick(CORP_VALUES, label, 'CORP value');
  const [line] = lines;
  return line ? `Cross-Origin-Resource-Policy: ${line[1]}` : 'no Cross-Origin-Resource-Policy';
}

const valueBlock: Block = {
  topic: 'corp',
  name: 'value',
  exhaustive: [
    factor('loader', ['img', 'script', 'stylesheet', 'video', 'fetch-no-cors', 'img-anonymous']),
    factor('corp', Object.keys(CORP_VALUES)),
    factor('route', ['same-origin', 'same-site', 'cross-site']),
  ],
  pairwise: [],
  build: (row) => {
    const r = route(val(row, 'route'));
    const load = loaderOf(val(row, 'loader'));
    return {
      title: sentence(`${load.says}, loading ${r.says} answered with ${corpSays(val(row, 'corp'))}.`),
      route: r,
      request: load.request,
      response: { preflight: null, actual: load.answer(pick(CORP_VALUES, val(row, 'corp'), 'CORP value')) },
    };
  },
};

/** First hop → second hop, as host labels (a is the page's host). */
const HOPS: Record<string, [string, string]> = {
  'same-to-cross': ['a', 'b'],
  'cross-to-same': ['b', 'a'],
  'cross-to-same-site': ['b', 'b.a'],
};

const redirectBlock: Block = {
  topic: 'corp',
  name: 'redirect',
  exhaustive: [
    factor('loader', ['img', 'script', 'fetch-no-cors']),
    factor('hops', Object.keys(HOPS)),
    factor('on', ['redirect', 'final']),
    factor('corp', ['same-origin', 'same-site', 'cross-origin']),
  ],
  pairwise: [],
  build: (row) => {
    const load = loaderOf(val(row, 'loader'));
    const [from, to] = pick(HOPS, val(row, 'hops'), 'redirect hops').map(host) as [string, string];
    const corp = pick(CORP_VALUES, val(row, 'corp'), 'CORP value');
    const onRedirect = val(row, 'on') === 'redirect';
    const next: CaseResponse = { preflight: null, actual: load.answer(onRedirect ? [] : corp) };
    const first = redirect(302, onRedirect ? corp : [], to, next);
    return {
      title: sentence(
        `${load.says}, loading ${from} which redirects (302) to ${to}; the ${onRedirect ? 'redirect' : 'final response'} carries ${corpSays(val(row, 'corp'))}.`,
      ),
      route: { page: route('same-origin').page, target: from },
      request: { ...load.request, url: targetUrl(from, 'corp', `redirect-${val(row, 'hops')}`) },
      response: { preflight: null, actual: first },
    };
  },
};

export const CORP_BLOCKS: Block[] = [valueBlock, redirectBlock];
