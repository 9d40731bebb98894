// explain names the reasons a request fails before anything is sent, which no response header
// can change: mixed content (an https page calling an http API) and the Fetch standard's bad
// ports. The standard's step says which, the fix says no header helps, and the request change
// that works is given.
import { test, expect } from '@playwright/test';
import type { CaseResponse } from '../../model/case.ts';
import { explainRecorded } from '../../explain/explain.ts';
import { parseExplainArgs } from '../../explain/request.ts';
import type { CaptureInfo } from '../../explain/capture/request.ts';

const INFO: CaptureInfo = { format: 'har', shape: null, entry: null, originFrom: 'Origin', leftOut: [], recorded: 'used', notes: [] };
const OPEN: CaseResponse = { preflight: null, actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] } } as CaseResponse;

test('mixed content: an https page calling an http API is blocked before any request, no header fixes it, https does', () => {
  const x = explainRecorded(parseExplainArgs({ url: 'http://api.example.com/api/items', origin: 'https://app.example.com', method: 'GET' }), OPEN, INFO);
  expect(x.spec.outcome).toBe('blocked');
  expect(x.spec.steps.map((s) => s.decision).join(' ')).toMatch(/mixed content/);
  expect(x.spec.steps.some((s) => s.anchor.includes('mixed-content') || s.anchor.includes('#main-fetch'))).toBe(true);
  expect(x.fix.server).toBeNull();
  expect(x.fix.why).toMatch(/No response header change/);
  expect(x.fix.request).toEqual([expect.stringContaining('call it over https (https://api.example.com/api/items)')]);
});

test('a bad port: refused before any connection, no header fixes it, another port does', () => {
  const x = explainRecorded(parseExplainArgs({ url: 'http://api.example.com:6667/api/items', origin: 'http://app.example.com', method: 'GET' }), OPEN, INFO);
  expect(x.spec.outcome).toBe('blocked');
  expect(x.spec.steps.map((s) => s.decision).join(' ')).toMatch(/6667/);
  expect(x.fix.server).toBeNull();
  expect(x.fix.request).toEqual([expect.stringContaining('browsers refuse to connect to port 6667')]);
});
