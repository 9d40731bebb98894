// The element initiators (img, script, module script, stylesheet, font, media) in the engine
// of this project, through the reference run's own path (runner/run-cases.ts): a page on
// http://a.test loads from http://b.test, the page says what it saw, the proxy what was sent.
// Each case states only what is clear-cut in the HTML and Fetch standards; what the server
// saw (the Origin of a no-cors request in particular) is attached to the test, not assumed.
import type { CorsCase, CorsSettings, Credentials, Header, Initiator, PageContext, RequestMode } from '../../model/case.ts';
import { ORIGINS } from '../../model/origins.ts';
import { BROWSER_BLOCK_LINE, type EngineId, type EngineResult } from '../../model/results.ts';
import { runCases } from '../../runner/run-cases.ts';
import { expect, test } from '../../suites/fixtures.ts';

const PAGE = ORIGINS.page;
const TARGET = ORIGINS.crossSite;

interface Observation {
  outcome: 'allowed' | 'blocked';
  /** Whether the page could read what it loaded; undefined: not asserted. */
  contentReadable?: boolean | null;
  /** The Origin the server saw; undefined: the page's for a CORS request, not asserted for no-cors. */
  serverOrigin?: string | null;
}

interface Expected extends Observation {
  /** Where an engine was seen to differ from the standards, what it does, and in a word why
   *  that is not the harness (the report lists these). */
  engines?: Partial<Record<EngineId, Partial<Observation> & { observed: string }>>;
}

interface ElementCase {
  c: CorsCase;
  expected: Expected;
}

/** The request mode and credentials mode HTML derives for a CORS settings attribute. */
function modes(initiator: Initiator): { mode: RequestMode; credentials: Credentials } {
  if (initiator.kind === 'font') return { mode: 'cors', credentials: 'same-origin' };
  const setting: CorsSettings = 'crossorigin' in initiator ? initiator.crossorigin : 'absent';
  if (initiator.kind === 'module-script') return { mode: 'cors', credentials: setting === 'use-credentials' ? 'include' : 'same-origin' };
  if (setting === 'absent') return { mode: 'no-cors', credentials: 'include' };
  return { mode: 'cors', credentials: setting === 'anonymous' ? 'same-origin' : 'include' };
}

const ASSET_OF = {
  img: 'png',
  script: 'classic-script',
  'module-script': 'module-script',
  stylesheet: 'stylesheet',
  font: 'font',
} as const;

function assetOf(initiator: Initiator) {
  if (initiator.kind === 'media') return initiator.element;
  if (initiator.kind in ASSET_OF) return ASSET_OF[initiator.kind as keyof typeof ASSET_OF];
  throw new Error(`no asset for ${initiator.kind}`);
}

function label(initiator: Initiator): string {
  switch (initiator.kind) {
    case 'font':
      return `font ${initiator.form}`;
    case 'media':
      return `${initiator.element} crossorigin=${initiator.crossorigin}`;
    case 'module-script':
      return initiator.form === 'import' ? 'import()' : `module script crossorigin=${initiator.crossorigin}`;
    case 'img':
    case 'script':
    case 'stylesheet':
      return `${initiator.kind} crossorigin=${initiator.crossorigin}`;
    default:
      return initiator.kind;
  }
}

/** The response headers by name: `*`, the page's origin with credentials, or none. */
const ALLOW: Record<'none' | 'star' | 'origin-credentials', Header[]> = {
  none: [],
  star: [['Access-Control-Allow-Origin', '*']],
  'origin-credentials': [
    ['Access-Control-Allow-Origin', PAGE],
    ['Access-Control-Allow-Credentials', 'true'],
  ],
};

function elementCase(initiator: Initiator, allow: keyof typeof ALLOW, expected: Expected, opaque?: PageContext['opaque']): ElementCase {
  const page: PageContext = opaque ? { origin: PAGE, opaque } : { origin: PAGE };
  const where = opaque ? ` from a ${opaque}` : '';
  const slug = `${label(initiator)} ${allow}${opaque ? ` ${opaque}` : ''}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  return {
    c: {
      id: `element-${slug}`,
      group: 'initiators',
      title: `${label(initiator)}, ACAO ${allow}${where}`,
      request: { page, initiator, url: `${TARGET}/element`, method: 'GET', headers: [], ...modes(initiator) },
      response: { preflight: null, actual: { status: 200, headers: ALLOW[allow], asset: assetOf(initiator) } },
    },
    expected,
  };
}

const allowed = (contentReadable?: boolean | null, engines?: Expected['engines']): Expected => ({
  outcome: 'allowed',
  contentReadable,
  ...(engines ? { engines } : {}),
});
const blocked = (engines?: Expected['engines']): Expected => ({ outcome: 'blocked', ...(engines ? { engines } : {}) });

// Seen on this project's machines, each reproduced outside the harness as well.
const FIREFOX_UNMUTED = {
  firefox: {
    contentReadable: true,
    observed:
      'Firefox ESR 153 gives window.onerror the message, URL and line of an error thrown by a no-cors cross-origin classic script (also with no proxy and no automation)',
  },
};
const WEBKIT_FONTS_NO_CORS = {
  webkit: {
    outcome: 'allowed',
    serverOrigin: null,
    observed: 'WebKitGTK 2.50 fetches fonts without an Origin header and uses them without Access-Control-Allow-Origin',
  },
} as const;

const CASES: ElementCase[] = [
  elementCase({ kind: 'img', crossorigin: 'absent' }, 'none', allowed(false)),
  elementCase({ kind: 'img', crossorigin: 'anonymous' }, 'star', allowed(true)),
  elementCase({ kind: 'img', crossorigin: 'anonymous' }, 'none', blocked()),
  elementCase({ kind: 'img', crossorigin: 'use-credentials' }, 'star', blocked()),
  elementCase({ kind: 'img', crossorigin: 'use-credentials' }, 'origin-credentials', allowed(true)),
  elementCase({ kind: 'script', crossorigin: 'absent' }, 'none', allowed(false, FIREFOX_UNMUTED)),
  elementCase({ kind: 'script', crossorigin: 'anonymous' }, 'star', allowed(true)),
  elementCase({ kind: 'script', crossorigin: 'anonymous' }, 'none', blocked()),
  elementCase({ kind: 'module-script', form: 'element', crossorigin: 'absent' }, 'star', allowed(null)),
  elementCase({ kind: 'module-script', form: 'element', crossorigin: 'absent' }, 'none', blocked()),
  elementCase({ kind: 'module-script', form: 'import', crossorigin: 'absent' }, 'star', allowed(null)),
  elementCase({ kind: 'module-script', form: 'import', crossorigin: 'absent' }, 'none', blocked()),
  elementCase({ kind: 'stylesheet', crossorigin: 'absent' }, 'none', allowed(false)),
  elementCase({ kind: 'stylesheet', crossorigin: 'anonymous' }, 'star', allowed(true)),
  elementCase({ kind: 'stylesheet', crossorigin: 'anonymous' }, 'none', blocked()),
  elementCase({ kind: 'font', form: 'font-face' }, 'star', allowed(null, WEBKIT_FONTS_NO_CORS)),
  elementCase({ kind: 'font', form: 'font-face' }, 'none', blocked(WEBKIT_FONTS_NO_CORS)),
  elementCase({ kind: 'font', form: 'font-face-api' }, 'star', allowed(null, WEBKIT_FONTS_NO_CORS)),
  elementCase({ kind: 'font', form: 'font-face-api' }, 'none', blocked(WEBKIT_FONTS_NO_CORS)),
  elementCase({ kind: 'media', element: 'video', crossorigin: 'absent' }, 'none', allowed(false)),
  elementCase({ kind: 'media', element: 'video', crossorigin: 'anonymous' }, 'star', allowed(true)),
  elementCase({ kind: 'media', element: 'video', crossorigin: 'anonymous' }, 'none', blocked()),
  elementCase({ kind: 'media', element: 'audio', crossorigin: 'anonymous' }, 'star', allowed(null)),
  elementCase({ kind: 'media', element: 'audio', crossorigin: 'anonymous' }, 'none', blocked()),
];

/** One case per initiator from an opaque-origin frame (Origin: null; `*` lets it read). */
const OPAQUE: ElementCase[] = [
  elementCase({ kind: 'img', crossorigin: 'anonymous' }, 'star', allowed(true), 'sandboxed-iframe'),
  elementCase({ kind: 'script', crossorigin: 'anonymous' }, 'star', allowed(true), 'data-iframe'),
  elementCase({ kind: 'module-script', form: 'element', crossorigin: 'absent' }, 'star', allowed(null), 'sandboxed-iframe'),
  elementCase({ kind: 'module-script', form: 'import', crossorigin: 'absent' }, 'star', allowed(null), 'data-iframe'),
  elementCase({ kind: 'stylesheet', crossorigin: 'anonymous' }, 'star', allowed(true), 'sandboxed-iframe'),
  elementCase({ kind: 'font', form: 'font-face' }, 'star', allowed(null, WEBKIT_FONTS_NO_CORS), 'data-iframe'),
  elementCase({ kind: 'font', form: 'font-face-api' }, 'star', allowed(null, WEBKIT_FONTS_NO_CORS), 'sandboxed-iframe'),
  elementCase({ kind: 'media', element: 'video', crossorigin: 'anonymous' }, 'star', allowed(true), 'data-iframe'),
  elementCase({ kind: 'media', element: 'audio', crossorigin: 'anonymous' }, 'star', allowed(null), 'sandboxed-iframe'),
];

test.describe.configure({ mode: 'serial' });

let results: Map<string, EngineResult> | null = null;

test.beforeAll(async ({ engine, harness, runId }) => {
  results = await runCases(
    engine,
    harness,
    [...CASES, ...OPAQUE].map((e) => e.c),
    { runId, concurrency: 4 },
  );
});

function resultFor(c: CorsCase): EngineResult {
  const r = results?.get(c.id);
  if (!r) throw new Error(`the runner returned no result for ${c.id}`);
  return r;
}

for (const { c, expected } of [...CASES, ...OPAQUE]) {
  test(c.title, async ({ engine }, testInfo) => {
    const r = resultFor(c);
    const differs = expected.engines?.[engine.info.id];
    const want: Observation = { ...expected, ...differs };
    await testInfo.attach('observed', { body: JSON.stringify({ engine: engine.info, result: r }, null, 2), contentType: 'application/json' });
    testInfo.annotations.push({ type: 'observed', description: `${r.outcome}; ${r.signal ?? 'no signal'}; server saw Origin ${r.server?.origin ?? '(none)'}` });
    if (differs) testInfo.annotations.push({ type: 'differs from the standards', description: differs.observed });
    expect(r.outcome, `outcome (${r.reason ?? 'no reason given'}; page saw: ${r.signal ?? 'nothing'})`).toBe(want.outcome);
    expect(r.signal, 'the page says what it saw').toBeTruthy();
    expect(r.status, 'an element shows no status').toBeNull();
    expect(r.preflight, 'an element sends no preflight').toBe(false);
    if (want.contentReadable !== undefined) expect(r.contentReadable ?? null, `content readable (${r.signal})`).toBe(want.contentReadable);
    // The proxy saw the request; a CORS request carries the page's origin (null from an opaque frame).
    expect(r.server?.requests ?? 0, 'the server saw the request').toBeGreaterThan(0);
    const origin = want.serverOrigin !== undefined ? want.serverOrigin : c.request.mode === 'cors' ? (c.request.page.opaque ? 'null' : PAGE) : undefined;
    if (origin !== undefined) expect(r.server?.origin ?? null, 'the Origin the server saw').toBe(origin);
    if (r.outcome === 'blocked' && engine.consoleMessages) {
      expect(r.reason ?? '', `the browser's own reason for the block (console: ${JSON.stringify(r.console ?? [])})`).toMatch(BROWSER_BLOCK_LINE);
    }
  });
}
