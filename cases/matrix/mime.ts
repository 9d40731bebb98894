// Response blocking by MIME type and by `X-Content-Type-Options: nosniff`: main fetch refuses a
// script served as an image, audio, video or text/csv, and with nosniff a script or style sheet
// without its own type; a style sheet needs text/css and a module script a JavaScript type
// whatever nosniff says. The body is always the loader's own (a script that throws, a PNG), so
// only the Content-Type line and nosniff vary; `absent` sends no Content-Type line at all.
import type { Header } from '../../model/case.ts';
import { sentence } from './initiators.ts';
import { loaderOf } from './loaders.ts';
import { factor, pick, route, val, type Block } from './shared.ts';

/** Content-Type values by label; null: no Content-Type line. */
const CONTENT_TYPES: Record<string, string | null> = {
  'image-png': 'image/png',
  'text-csv': 'text/csv',
  'text-plain': 'text/plain',
  'application-json': 'application/json',
  'text-javascript': 'text/javascript',
  'text-css': 'text/css',
  absent: null,
};

const NOSNIFF: Record<string, Header[]> = { on: [['X-Content-Type-Options', 'nosniff']], off: [] };

const typeBlock: Block = {
  topic: 'mime',
  name: 'type',
  exhaustive: [
    factor('loader', ['script', 'module-element', 'stylesheet', 'img', 'fetch-no-cors']),
    factor('type', Object.keys(CONTENT_TYPES)),
    factor('nosniff', Object.keys(NOSNIFF)),
    factor('route', ['same-origin', 'cross-site']),
  ],
  pairwise: [],
  build: (row) => {
    const r = route(val(row, 'route'));
    const load = loaderOf(val(row, 'loader'));
    const type = pick(CONTENT_TYPES, val(row, 'type'), 'Content-Type');
    const nosniff = val(row, 'nosniff') === 'on';
    const headers: Header[] = [...(type === null ? [] : [['Content-Type', type] as Header]), ...pick(NOSNIFF, val(row, 'nosniff'), 'nosniff')];
    const actual = load.answer(headers);
    return {
      title: sentence(
        `${load.says}, loading ${r.says} served ${type === null ? 'without a Content-Type' : `as ${type}`}${nosniff ? ' with X-Content-Type-Options: nosniff' : ''}.`,
      ),
      route: r,
      request: load.request,
      response: { preflight: null, actual: type === null ? { ...actual, omitContentType: true } : actual },
    };
  },
};

export const MIME_BLOCKS: Block[] = [typeBlock];
