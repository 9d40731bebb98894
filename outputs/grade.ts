// What a grading writes: grade.json (the whole record) and index.html (for people) in the
// output folder, and where asked a JUnit file for CI systems, SARIF for code scanning and the
// Markdown summary for a CI job's page. Every file is written first; then grade.json is checked
// against schemas/grade.schema.json, and one that breaks it throws (outputs/json.ts).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../grade/types.ts';
import { checkOutput, writeJson } from './json.ts';
import { junitXml } from './junit.ts';
import { gradeMarkdown } from './markdown.ts';
import { gradeHtml } from './pages/grade.ts';
import { gradeSarif } from './sarif.ts';
import { jsonText } from './text.ts';

export interface GradeOutputOptions {
  /** A JUnit XML file (--junit). */
  junit?: string | undefined;
  /** A SARIF file (--sarif), pointing at the policy file and the --openapi document. */
  sarif?: { file: string; policyFile: string; openapiFile?: string | undefined } | undefined;
  /** A Markdown file the summary is appended to (a CI job's GITHUB_STEP_SUMMARY). */
  summary?: string | undefined;
}

/** Writes the grade's files and returns their names, grade.json and index.html first (the job
 *  summary, appended to a file of the CI's, is not named). */
export function writeGradeOutputs(r: GradeReport, outDir: string, opts: GradeOutputOptions = {}): string[] {
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'grade.json');
  const html = join(outDir, 'index.html');
  const text = writeJson(json, r);
  writeFileSync(html, gradeHtml(r));
  const written = [json, html];
  if (opts.junit) {
    writeFileSync(opts.junit, junitXml(r));
    written.push(opts.junit);
  }
  if (opts.sarif) {
    writeFileSync(opts.sarif.file, `${jsonText(gradeSarif(r, opts.sarif.policyFile, opts.sarif.openapiFile), 1)}\n`);
    written.push(opts.sarif.file);
  }
  if (opts.summary) appendFileSync(opts.summary, gradeMarkdown(r));
  checkOutput('grade', text, json);
  return written;
}
