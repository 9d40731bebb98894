// The known-divergence rules as data, checked without a browser: each has evidence, a unique
// id, selects at least one generated case and only cases of the families it names (its `families`),
// and where two rules apply to the same case for one engine the first (the one judge() uses)
// expects the same differences as the others, so rule order never changes a verdict by accident.
import { test, expect } from '@playwright/test';
import type { CorsCase } from '../../model/case.ts';
import { ENGINE_IDS } from '../../model/results.ts';
import { KNOWN_DIVERGENCES, type DivergenceRule } from '../../cases/divergences.ts';
import { generateMatrix } from '../../cases/matrix/index.ts';
import {
  firefoxCacheHolds,
  firefoxMaxAgeSeconds,
  headerMapHasUnsafeValue,
  webkitCacheHolds,
  webkitMaxAgeSeconds,
  webkitRangeSafelisted,
} from '../../cases/engine-models.ts';

const cases = generateMatrix();
const byId = new Map(cases.map((c) => [c.id, c]));

/** Rule pairs where the earlier one deliberately shadows the later one for some cases. */
const INTENDED_SHADOWING = new Set(['webkit-preflight-cache-wildcard-covers-authorization>acah-wildcard-covers-authorization']);

function selected(rule: DivergenceRule): CorsCase[] {
  return cases.filter((c) => rule.applies(c));
}

function firstRule(c: CorsCase, engine: (typeof ENGINE_IDS)[number]): DivergenceRule | undefined {
  return KNOWN_DIVERGENCES.find((r) => r.engines.includes(engine) && r.applies(c));
}

test('rule ids are unique', () => {
  const ids = KNOWN_DIVERGENCES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
});

for (const rule of KNOWN_DIVERGENCES) {
  test(`${rule.id}: is complete, has evidence and selects generated cases of its family only`, () => {
    expect(rule.title.length).toBeGreaterThan(0);
    expect(rule.observed.length).toBeGreaterThan(0);
    expect(rule.engines.length).toBeGreaterThan(0);
    expect(rule.differences.length).toBeGreaterThan(0);
    expect(rule.evidence.length).toBeGreaterThanOrEqual(1);
    for (const url of rule.evidence) expect(url).toMatch(/^https:\/\/\S+$/);

    const hits = selected(rule);
    expect(hits.length, `${rule.id} selects no generated case`).toBeGreaterThan(0);
    expect(rule.families.length, `${rule.id} names the families it covers`).toBeGreaterThan(0);
    const outside = hits.filter((c) => !rule.families.some((f) => c.id.startsWith(f))).map((c) => c.id);
    expect(outside, `${rule.id} applies outside ${rule.families.join(', ')}`).toEqual([]);
  });
}

test('a rule that shadows another for the same engine and case expects the same differences', () => {
  const conflicts: string[] = [];
  for (const c of cases) {
    for (const engine of ENGINE_IDS) {
      const applying = KNOWN_DIVERGENCES.filter((r) => r.engines.includes(engine) && r.applies(c));
      const [first, ...rest] = applying;
      if (!first) continue;
      for (const other of rest) {
        const same = first.differences.length === other.differences.length && first.differences.every((d) => other.differences.includes(d));
        if (!same && !INTENDED_SHADOWING.has(`${first.id}>${other.id}`)) conflicts.push(`${c.id} [${engine}]: ${first.id} shadows ${other.id}`);
      }
    }
  }
  expect(conflicts).toEqual([]);
});

// Spot checks: which rule explains which measured case (reference run of Chromium 156,
// Firefox ESR 153, WebKitGTK 2.50), and that the rules stay out of neighbouring cases.
const EXPECT: Array<[caseId: string, engine: (typeof ENGINE_IDS)[number], ruleId: string | undefined]> = [
  [
    'initiators/element/initiator=script/crossorigin=absent/acao=star/acac=true/route=cross-site/cookie=no',
    'firefox',
    'firefox-classic-script-errors-not-muted',
  ],
  ['initiators/element/initiator=script/crossorigin=anonymous/acao=star/acac=absent/route=sandbox/cookie=no', 'firefox', undefined],
  ['initiators/cors-only/initiator=font-face/acao=absent/acac=absent/route=cross-site/cookie=no', 'webkit', 'webkitgtk-fonts-without-cors'],
  ['initiators/cors-only/initiator=font-face-api/acao=star/acac=absent/route=cross-site/cookie=no', 'webkit', 'webkitgtk-fonts-without-origin'],
  ['initiators/cors-only/initiator=font-face/acao=star/acac=absent/route=same-origin/cookie=yes', 'webkit', undefined],
  [
    'initiators/element/initiator=img/crossorigin=anonymous/acao=star/acac=absent/route=same-origin/cookie=yes',
    'chromium',
    'same-origin-cors-request-sends-origin',
  ],
  ['preflight-cache/reuse/max-age=negative/then=same/route=same-site', 'chromium', 'negative-max-age-not-cached'],
  ['preflight-cache/reuse/max-age=negative/then=same/route=same-site', 'webkit', 'negative-max-age-not-cached'],
  ['preflight-cache/reuse/max-age=negative/then=same/route=same-site', 'firefox', 'firefox-max-age-non-digit-not-cached'],
  ['preflight-cache/reuse/max-age=0/then=method-case/route=sandbox', 'chromium', undefined],
  ['preflight-cache/reuse/max-age=5/then=same/route=sandbox', 'chromium', 'chromium-opaque-origin-preflight-not-reused'],
  ['preflight-cache/reuse/max-age=5/then=cred-upgrade/route=sandbox', 'chromium', undefined],
  ['preflight-cache/reuse/max-age=5/then=method-star/route=cross-site', 'firefox', 'firefox-preflight-cache-method-wildcard-literal'],
  ['preflight-cache/reuse/max-age=word/then=method-star/route=same-site', 'firefox', 'firefox-max-age-non-digit-not-cached'],
  ['preflight-cache/reuse/max-age=empty/then=other-method/route=cross-site', 'firefox', undefined],
  ['preflight-cache/expiry/timing=max3-wait1500/then=cred-downgrade/route=same-site', 'firefox', 'firefox-preflight-cache-keyed-by-credentials'],
  ['preflight-cache/expiry/timing=max1-wait1500/then=cred-downgrade/route=cross-site', 'firefox', undefined],
  ['preflight-cache/reuse/max-age=600/then=header-star-auth/route=cross-site', 'webkit', 'webkit-preflight-cache-wildcard-covers-authorization'],
  ['preflight-cache/reuse/max-age=600/then=header-star-auth/route=cross-site', 'chromium', 'acah-wildcard-covers-authorization'],
  ['preflight-cache/reuse/max-age=600/then=cleared-by-failure/route=cross-site', 'webkit', 'webkit-failed-preflight-still-cached'],
  ['simple/headers/method=GET/hdr=total-1024/route=data/pf=none/acao=echo/cred=omit', 'firefox', 'repeated-safelisted-header-combined-no-handler'],
  ['simple/headers/method=GET/hdr=total-1024/route=data/pf=none/acao=echo/cred=omit', 'chromium', undefined],
  ['simple/headers/method=GET/hdr=total-1026/route=cross-site/pf=none/acao=echo/cred=omit', 'firefox', 'firefox-no-safelist-total-size-limit-no-handler'],
  ['simple/headers/method=GET/hdr=total-1026/route=cross-site/pf=none/acao=echo/cred=omit', 'chromium', undefined],
  ['simple/headers/method=GET/hdr=range-upper/route=same-origin/pf=none/acao=echo/cred=omit', 'webkit', undefined],
  ['redirects/userinfo/userinfo=user-pass/status=301/path=same-to-same/mode=cors/page=http', 'chromium', 'chromium-blocks-credentialed-redirect-location'],
  ['redirects/userinfo/userinfo=user-pass/status=301/path=cross-to-page/mode=cors/page=http', 'chromium', undefined],
  ['redirects/authorization/status=308/path=same-to-cross/page=http', 'webkit', 'webkit-authorization-kept-on-cross-origin-redirect-from-same-origin'],
  ['redirects/authorization/status=308/path=cross-to-same-host/page=https', 'firefox', undefined],
  ['redirects/preflight/status=308/path=cross-to-other/hop2=allow-null/page=https', 'firefox', 'firefox-redirect-preflight-origin-not-null'],
  ['redirects/preflight/status=308/path=cross-to-other/hop2=allow-page/page=http', 'firefox', 'firefox-redirect-preflight-origin-not-null-page-allowed'],
];

for (const [caseId, engine, ruleId] of EXPECT) {
  test(`${caseId} [${engine}] → ${ruleId ?? 'no rule'}`, () => {
    const c = byId.get(caseId);
    if (!c) throw new Error(`${caseId} is not a generated case`);
    expect(firstRule(c, engine)?.id).toBe(ruleId);
  });
}

// Twins: one behaviour written as two rules with disjoint predicates (made by one factory).
// Everything but the split must be shared, and the split must never select a case twice.
const ruleById = new Map(KNOWN_DIVERGENCES.map((r) => [r.id, r]));
const TWINS: Array<[first: string, second: string]> = [
  ['repeated-safelisted-header-combined-no-handler', 'repeated-safelisted-header-combined'],
  ['firefox-no-safelist-total-size-limit-no-handler', 'firefox-no-safelist-total-size-limit'],
  ['webkit-range-safelist-lenient-no-handler', 'webkit-range-safelist-lenient'],
  ['firefox-authorization-redirect-still-preflighted', 'firefox-authorization-redirect-still-preflighted-from-same-origin'],
  ['webkit-authorization-kept-on-cross-origin-redirect', 'webkit-authorization-kept-on-cross-origin-redirect-from-same-origin'],
];

for (const [firstId, secondId] of TWINS) {
  test(`twins ${firstId} / ${secondId}: same engines, disjoint cases, each expecting its own differences`, () => {
    const first = ruleById.get(firstId);
    const second = ruleById.get(secondId);
    if (!first || !second) throw new Error(`twin ${first ? secondId : firstId} is missing`);
    expect(second.engines).toEqual(first.engines);
    expect(second.observed).toContain(`As ${firstId}`);
    expect(first.differences).not.toEqual(second.differences);
    const both = cases.filter((c) => first.applies(c) && second.applies(c)).map((c) => c.id);
    expect(both).toEqual([]);
  });
}

test('a -no-handler rule applies only without a preflight recipe, its twin only with one', () => {
  for (const [firstId, secondId] of TWINS.filter(([f]) => f.endsWith('-no-handler'))) {
    const noHandler = ruleById.get(firstId);
    const handler = ruleById.get(secondId);
    if (!noHandler || !handler) throw new Error(`twins ${firstId} / ${secondId} are missing`);
    expect(noHandler.title).toBe(`${handler.title} (server without preflight handling)`);
    expect(noHandler.evidence).toEqual(handler.evidence);
    expect(selected(noHandler).every((c) => c.response.preflight === null)).toBe(true);
    expect(selected(handler).every((c) => c.response.preflight !== null)).toBe(true);
  }
});

// Engine models: what each engine does with the values the cases send.
test.describe('engine models', () => {
  test('Firefox max-age: digits only, else not cached; absent or empty is 5 s; capped at 86400 s', () => {
    const table: Array<[string | null, number | 'not-cached']> = [
      [null, 5],
      ['', 5],
      ['0', 0],
      ['600', 600],
      ['86401', 86400],
      ['-1', 'not-cached'],
      ['+10', 'not-cached'],
      ['1.5', 'not-cached'],
      ['0x10', 'not-cached'],
      ['10s', 'not-cached'],
      ['600, 600', 'not-cached'],
    ];
    for (const [value, seconds] of table) expect(firefoxMaxAgeSeconds(value), String(value)).toBe(seconds);
    expect(firefoxCacheHolds('1', 999)).toBe(true);
    expect(firefoxCacheHolds('1', 1000)).toBe(false);
    expect(firefoxCacheHolds('abc', 0)).toBe(false);
  });

  test('WebKit max-age: a signed integer, else 5 s; capped at 600 s; a negative one expires at once', () => {
    const table: Array<[string | null, number]> = [
      [null, 5],
      ['', 5],
      ['+10', 10],
      ['-1', -1],
      ['601', 600],
      ['1.5', 5],
      ['abc', 5],
      ['99999999999999999999', 5],
      ['600, 600', 5],
    ];
    for (const [value, seconds] of table) expect(webkitMaxAgeSeconds(value), String(value)).toBe(seconds);
    expect(webkitCacheHolds('-1', 0)).toBe(false);
    expect(webkitCacheHolds(null, 4999)).toBe(true);
  });

  test('WebKit Range: "bytes" in any case, an optional +, start not after end', () => {
    for (const v of ['bytes=0-10', 'BYTES=0-10', 'bytes=+0-10', 'bytes=0-']) expect(webkitRangeSafelisted(v), v).toBe(true);
    for (const v of ['bytes=-500', 'bytes=10-0', 'bytes=0-10,20-30', 'bytes= 0-10']) expect(webkitRangeSafelisted(v), v).toBe(false);
  });

  test('Chromium and WebKit judge a repeated header by its combined value', () => {
    const eight = Array.from({ length: 8 }, (): [string, string] => ['Accept-Language', 'a'.repeat(128)]);
    expect(headerMapHasUnsafeValue(eight)).toBe(true);
    expect(headerMapHasUnsafeValue(eight.slice(0, 1))).toBe(false);
    expect(
      headerMapHasUnsafeValue([
        ['Accept-Language', 'en'],
        ['accept-language', 'fr'],
      ]),
    ).toBe(false);
  });
});
