// The initiators topic's standards table: a row for every kind, its modes from the spec model.
import { test, expect } from '@playwright/test';
import { INITIATOR_KINDS } from '../../model/case.ts';
import { initiatorSummaries } from '../../report/initiator-standards.ts';

test('one row per initiator kind at least, with the derived defaults', () => {
  const rows = initiatorSummaries();
  expect(new Set(rows.map((r) => r.initiator.kind))).toEqual(new Set(INITIATOR_KINDS));
  const img = rows.find((r) => r.initiator.kind === 'img');
  expect(img).toMatchObject({ mode: 'no-cors', credentials: 'include', sendsCookiesCrossOrigin: true, needsCrossoriginToRead: true, canPreflight: false });
  const fetchRow = rows.find((r) => r.initiator.kind === 'fetch');
  expect(fetchRow).toMatchObject({ mode: 'cors', credentials: 'same-origin', sendsCookiesCrossOrigin: false, canPreflight: true });
  const beacon = rows.find((r) => r.initiator.kind === 'beacon');
  expect(beacon).toMatchObject({ mode: 'no-cors', credentials: 'include', canPreflight: true, needsCrossoriginToRead: null });
  for (const row of rows) {
    expect(row.anchor).toMatch(/^https:\/\//);
    expect(row.corsFailure.length).toBeGreaterThan(10);
  }
});
