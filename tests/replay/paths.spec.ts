// A per-path policy graded path by path, from what each real engine did (recorded): a server
// that reflects any origin on /api/* only is found on /api/… and nowhere else, under one root
// cause on that path, and the outputs name the path; the server that applies each path its
// rules passes. The origin search screens the real servers path by path.
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GradeReport } from '../../grade/types.ts';
import { gradeMarkdown } from '../../outputs/markdown.ts';
import { gradeSarif } from '../../outputs/sarif.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';
import { SPLIT } from '../grade/path-targets.ts';
import { attachment, RECORDED_ENGINES, replayGrade } from './replay.ts';

const failing = (r: GradeReport) => r.findings.filter((f) => f.severity !== 'info');

for (const engine of RECORDED_ENGINES) {
  test(`${engine}: reflecting any origin on /api/* is found on /api/… only`, async ({}, testInfo) => {
    const r = await replayGrade('paths/reflects-on-api', [engine]);
    await testInfo.attach('grade', attachment(r));
    expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.verdict).toBe('fail');
    expect(r.endpoints.map((e) => [e.path, e.entry])).toEqual([
      ['/public/logo.txt', '/public/*'],
      ['/api/items', '/api/*'],
    ]);
    const found = failing(r);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f.path, `${f.category} from ${f.origin}`).toMatch(/^\/api\//);
    const read = found.find((f) => f.category === 'arbitrary-origin' && f.credentialed);
    expect(read?.path).toBe('/api/items');
    expect(read?.severity).toBe('high');
    expect(read?.engines).toEqual([engine]);
    const causes = r.causes.filter((c) => c.severity !== 'info');
    expect(causes.map((c) => c.category)).toEqual(['reflects-any-origin']);
    expect(causes[0]?.paths).toEqual(['/api/items']);
    expect(causes[0]?.summary).toContain('on /api/items');
    // The search screened each path with its own rules: on /public/* every unrelated origin is
    // allowed, so what it flagged to confirm is on /api/….
    expect(r.search?.probed).toBeGreaterThan(0);
    expect(r.probes.filter((p) => p.source === 'search').every((p) => p.path === '/api/items')).toBe(true);
  });

  test(`${engine}: the server that applies each path its rules passes`, async ({}, testInfo) => {
    const r = await replayGrade('paths/applies-each-path', [engine]);
    await testInfo.attach('grade', attachment(r));
    expect(r.errors).toEqual([]);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    // Any site read /public/logo.txt without credentials, as the policy allows there.
    const anyone = r.probes.find(
      (p) => p.path === '/public/logo.txt' && p.kind === 'attacker' && p.category === 'arbitrary-origin' && p.credentials === 'omit',
    );
    expect(anyone?.expect).toBe('readable');
    expect(Object.values(anyone?.results ?? {}).map((o) => o?.outcome)).toEqual(['readable']);
  });
}

test('the outputs name the path: SARIF locates each finding at the policy entry whose rules hold there; Markdown has a table of paths', async () => {
  const r = await replayGrade('paths/reflects-on-api', RECORDED_ENGINES);
  const dir = mkdtempSync(join(tmpdir(), 'cc-paths-'));
  try {
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(SPLIT, null, 2));
    const sarif = gradeSarif(r, policyFile) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          message: { text: string };
          locations: Array<{ physicalLocation: { region?: { startLine: number } }; logicalLocations?: Array<{ fullyQualifiedName: string }> }>;
        }>;
      }>;
    };
    const apiLine =
      JSON.stringify(SPLIT, null, 2)
        .split('\n')
        .findIndex((l) => l.includes('"/api/*"')) + 1;
    const result = sarif.runs[0]?.results.find((x) => x.ruleId === 'finding/arbitrary-origin');
    expect(result?.message.text).toMatch(/^On \/api\/items, /);
    expect(result?.locations[0]?.physicalLocation.region?.startLine).toBe(apiLine);
    expect(result?.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe('/api/items');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const md = gradeMarkdown(r);
  expect(md).toContain('### Paths');
  // The origin `*` is text in a cell: written as a reference, it renders as `*` and starts no emphasis.
  expect(md).toMatch(/\| `\/public\/logo\.txt` \| GET \| `\/public\/\*` \| &#42; \| false \| ✅ 0 \|/);
  expect(md).toMatch(/\| `\/api\/items` \| GET, PUT \| `\/api\/\*` \| https:\/\/app\.example\.com, https:\/\/admin\.example\.com \| true \| ❌ \d+ \|/);
});
