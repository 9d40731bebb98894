// Every output of a grading, written from real gradings in all three engines (replayed from
// recordings): grade.json matches its schema, the SARIF log validates against SARIF 2.1.0 with
// one rule per failing cause, JUnit counts a failure for each failing probe and none when the
// server passes, HTML and Markdown show every root cause, and no output of the signed-in
// gradings holds a secret value.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failsGrade } from '../../grade/judge/findings.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';
import { writeGradeOutputs } from '../../outputs/grade.ts';
import { terminalSummary } from '../../outputs/terminal.ts';
import { sarifValidator } from '../grade/sarif-validator.ts';
import { RECORDED_ENGINES, replayGrade } from './replay.ts';
import { SCENARIOS, SECRETS } from './scenarios.ts';

const validateSarif = sarifValidator();

for (const s of SCENARIOS) {
  test(`${s.id}: every output, in all engines`, async () => {
    const r = await replayGrade(s.id, RECORDED_ENGINES);
    expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'cc-outputs-'));
    try {
      const policyFile = join(dir, 'policy.json');
      writeFileSync(policyFile, JSON.stringify(r.policy, null, 2));
      writeGradeOutputs(r, join(dir, 'out'), {
        junit: join(dir, 'junit.xml'),
        sarif: { file: join(dir, 'grade.sarif'), policyFile },
        summary: join(dir, 'summary.md'),
      });
      writeFileSync(join(dir, 'terminal.txt'), terminalSummary(r));
      const sarif = JSON.parse(readFileSync(join(dir, 'grade.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };

      expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 5))).toBe(true);
      const failing = r.causes.filter((c) => failsGrade(c.severity));
      const ruleIds = new Set(sarif.runs[0]?.results.map((x) => x.ruleId));
      for (const c of failing) expect(ruleIds, `SARIF has cause/${c.category}`).toContain(`cause/${c.category}`);

      const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
      const failures = Number(/failures="(\d+)"/.exec(junit)?.[1]);
      expect(junit).toContain(`tests="${r.probes.length * r.engines.length}"`);
      if (r.verdict === 'pass') expect(failures).toBe(0);
      if (r.verdict === 'fail') expect(failures).toBeGreaterThan(0);

      const html = readFileSync(join(dir, 'out', 'index.html'), 'utf8');
      const md = readFileSync(join(dir, 'summary.md'), 'utf8');
      for (const c of failing) {
        expect(md, `Markdown names ${c.category}`).toContain(c.category);
        expect(html, `HTML names ${c.category}`).toContain(c.category);
      }

      const files = [...readdirSync(dir).filter((f) => f !== 'out'), ...readdirSync(join(dir, 'out')).map((f) => join('out', f))];
      for (const f of files) {
        const text = readFileSync(join(dir, f), 'utf8');
        for (const secret of SECRETS) expect(text.includes(secret), `${f} holds a secret value`).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
