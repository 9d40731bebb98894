// The load topics' tables (report/loads.ts): per loader, what the spec loads and blocks, and per
// engine what loaded, the rule that stopped what both blocked, and the divergence behind a difference.
import { test, expect } from '@playwright/test';
import { referenceCases } from '../../cases/catalog.ts';
import type { CaseRecord, EngineResult } from '../../model/results.ts';
import { evaluate } from '../../oracle/index.ts';
import { loadTables } from '../../report/loads.ts';

const result = (outcome: EngineResult['outcome']): EngineResult => ({ outcome, preflight: false, status: null, reason: null });

/** The corp topic's img cases with a CORP header, each engine doing what the spec says, except
 *  that firefox loads one the spec blocks (under a made-up divergence id). */
function records(): CaseRecord[] {
  return referenceCases('corp/value/loader=img/corp=same-origin').map((c, i) => {
    const spec = evaluate(c);
    const firefox = i === 2 ? (spec.outcome === 'blocked' ? 'allowed' : 'blocked') : spec.outcome;
    return {
      ...c,
      spec,
      results: { chromium: result(spec.outcome), firefox: result(firefox) },
      agreement: {
        chromium: { status: 'agrees', differences: [], withEngines: null },
        firefox:
          i === 2
            ? { status: 'expected-divergence', differences: ['outcome'], divergence: 'made-up', withEngines: null }
            : { status: 'agrees', differences: [], withEngines: null },
      },
    };
  });
}

test('one table per load topic in the run, one row per loader, the blocking rule named from the spec', () => {
  const cases = records();
  expect(cases.map((c) => c.spec?.outcome)).toEqual(['allowed', 'blocked', 'blocked']);
  const tables = loadTables({ cases });
  expect(tables.map((t) => t.topic)).toEqual(['corp']);
  const [row] = tables[0]?.rows ?? [];
  expect(row).toMatchObject({ label: 'img no crossorigin', cases: 3, specLoads: 1, specBlocks: 2 });
  expect(row?.engines.chromium).toEqual({
    cases: 3,
    loaded: 1,
    blocked: 2,
    errors: 0,
    agrees: 3,
    stoppedBy: [['Cross-Origin-Resource-Policy', 2]],
    differs: [],
  });
  expect(row?.engines.firefox).toMatchObject({ loaded: 2, blocked: 1, agrees: 2, stoppedBy: [['Cross-Origin-Resource-Policy', 1]], differs: [['made-up', 1]] });
  expect(row?.engines.webkit).toBeUndefined();
});

test('cases of other topics make no load table', () => {
  const cases = referenceCases('initiators/element/initiator=img/crossorigin=absent/acao=absent').map((c) => ({ ...c, results: {} }));
  expect(loadTables({ cases })).toEqual([]);
});
