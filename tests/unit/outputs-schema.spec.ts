// One rule for every output with a schema: written (or printed) first, then checked, and one
// that breaks its schema is an InvalidOutputError naming the output and the schema's errors, an
// InternalError the command turns into exit 2, never a verdict.
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GradeReport } from '../../grade/types.ts';
import type { Explanation } from '../../explain/explain.ts';
import { InternalError, UserError } from '../../model/errors.ts';
import { writeGradeOutputs } from '../../outputs/grade.ts';
import { checkOutput, InvalidOutputError } from '../../outputs/json.ts';
import { jsonText } from '../../outputs/text.ts';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as T;
const GRADE = fixture<GradeReport>('grade-bad.json');
const EXPLANATION = fixture<Explanation>('explanation-blocked.json');

function inTempDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'cc-outputs-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const options = (dir: string) => ({
  junit: join(dir, 'junit.xml'),
  sarif: { file: join(dir, 'grade.sarif'), policyFile: 'examples/cors-policy.json' },
  summary: join(dir, 'summary.md'),
});

test('a valid grade: every file written, named in order, nothing thrown', () => {
  inTempDir((dir) => {
    const out = join(dir, 'out');
    expect(writeGradeOutputs(GRADE, out, options(dir))).toEqual([
      join(out, 'grade.json'),
      join(out, 'index.html'),
      join(dir, 'junit.xml'),
      join(dir, 'grade.sarif'),
    ]);
    expect(JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8'))).toEqual(GRADE);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/^## CORS grade: ❌ fail\n/);
  });
});

test('a grade.json that breaks its schema is written, every other file too, and then throws naming it', () => {
  inTempDir((dir) => {
    const out = join(dir, 'out');
    const broken = { ...GRADE, verdict: 'maybe' } as unknown as GradeReport;
    let thrown: unknown;
    try {
      writeGradeOutputs(broken, out, options(dir));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidOutputError);
    // The tool's fault, not the user's: the command names it a bug and exits 2.
    expect(thrown).toBeInstanceOf(InternalError);
    expect(thrown).not.toBeInstanceOf(UserError);
    const err = thrown as InvalidOutputError;
    expect(err.output).toBe(join(out, 'grade.json'));
    expect(err.schema).toBe('schemas/grade.schema.json');
    expect(err.errors).toEqual(['verdict: "maybe" must be one of "pass", "fail", "error"']);
    expect(err.message).toContain(`${join(out, 'grade.json')} does not match schemas/grade.schema.json`);
    // Nothing is lost.
    expect(JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8')).verdict).toBe('maybe');
    for (const f of [join(out, 'index.html'), join(dir, 'junit.xml'), join(dir, 'grade.sarif'), join(dir, 'summary.md')]) expect(existsSync(f), f).toBe(true);
  });
});

test('an explanation that breaks its schema throws naming it and the schema', () => {
  expect(() => checkOutput('explain', jsonText(EXPLANATION, 2), 'the explanation')).not.toThrow();
  const broken = { ...EXPLANATION, works: 'yes' };
  expect(() => checkOutput('explain', jsonText(broken, 2), 'the explanation')).toThrow(
    /^internal error \(a bug in cors-conformance\): the explanation does not match schemas\/explain\.schema\.json \(it was written all the same\):\n {2}works: "yes" must be boolean$/,
  );
});
