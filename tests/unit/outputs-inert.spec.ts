// Every output of the outputs layer, fed a grade, an explanation, a library result and a
// results file whose every string carries markup, quotes, a backtick, control characters, a
// pipe and an @-mention: the pages hold no element or attribute of the input's, the terminal
// texts no control character and no line of their own, JUnit is well-formed XML, SARIF is
// valid SARIF, and the Markdown no markup outside its code spans.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GradeReport } from '../../grade/types.ts';
import type { LibraryResult } from '../../grade/library.ts';
import type { Explanation } from '../../explain/explain.ts';
import type { ResultsFile } from '../../model/results.ts';
import { loadResults } from '../../report/load.ts';
import { diffResults } from '../../report/diff.ts';
import { messagesHtml } from '../../report/messages.ts';
import { markdownSummary } from '../../report/markdown.ts';
import { buildView } from '../../report/view.ts';
import { gradeHtml } from '../../outputs/pages/grade.ts';
import { explainHtml } from '../../outputs/pages/explain.ts';
import { libraryHtml } from '../../outputs/pages/library.ts';
import { explainText, terminalSummary } from '../../outputs/terminal.ts';
import { junitXml } from '../../outputs/junit.ts';
import { gradeSarif } from '../../outputs/sarif.ts';
import { gradeMarkdown } from '../../outputs/markdown.ts';
import { hasControlCharacter, jsonText } from '../../outputs/text.ts';
import { configurationFor } from '../../grade/judge/configuration.ts';

/** Markup, both quotes, backticks, a fake coloured line, CR, BEL, the one-byte CSI, pipes (one
 *  after a backslash), a mention, a reference, emphasis, a script link, an entity and a lone
 *  surrogate. It begins with a backtick so that it also starts every code span. */
const HOSTILE =
  '`<script>alert(1)</script><img src=x onerror=alert(2)>"\'`` \u001b[32m\nALL CHECKS PASSED\u001b[0m\r\u0007\u009b[31m|\\|@user #1 *x* _y_ ~z~ [a](javascript:alert(3)) &amp; \ud800';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as T;

interface Marking {
  /** Fields left as they are (by name): enums that choose a section, where the test wants it. */
  keep?: readonly string[];
  /** Mark the keys of the records keyed by engine (`results`, the cookie policy's `engines`)
   *  too, so that an engine id is marked everywhere. */
  rekey?: boolean;
}

/** Every string value with `marker` around it. With a plain marker the outputs take the same
 *  branches as with HOSTILE, so they must have the same lines: the hostile one has none more. */
function marked<T>(value: T, marker: string, { keep = [], rekey = true }: Marking = {}): T {
  const walk = (v: unknown, key: string, element = false): unknown => {
    if (typeof v === 'string') return keep.includes(key) ? v : `${marker}${v}${marker}`;
    if (Array.isArray(v)) return v.map((x) => walk(x, key, true));
    if (v && typeof v === 'object') {
      const byEngine = rekey && !element && (key === 'results' || key === 'engines');
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [byEngine ? `${marker}${k}${marker}` : k, walk(x, k)]));
    }
    return v;
  };
  return walk(value, '') as T;
}
const hostile = <T>(value: T, m: Marking = {}): T => marked(value, HOSTILE, m);
const plain = <T>(value: T, m: Marking = {}): T => marked(value, 'x', m);

/** A real grade, with every section its writers have: an https target graded with --insecure, a
 *  signed-in run, one engine without a verdict on one probe, and the causes' fix as express's
 *  configuration. */
function everySection(r: GradeReport): GradeReport {
  const [first, second, ...rest] = r.probes;
  if (!first || !second) throw new Error('the fixture has fewer than two probes');
  const error = { outcome: 'error' as const, status: null, preflight: null, cookieSent: null, readable: [], reason: 'the page did not answer within 15 s' };
  return {
    ...r,
    target: r.target.replace(/^http:/, 'https:'),
    certificate: 'not-checked',
    signedIn: { cookies: ['session_id'], requestHeaders: ['Authorization'] },
    probes: [first, { ...second, results: { ...second.results, firefox: error } }, ...rest],
    errors: [`${second.id} in firefox: ${error.reason}`],
    configuration: configurationFor(r.causes, r.policy, r.endpoints, { named: 'express', told: null }) ?? undefined,
  };
}
const GRADE = everySection(fixture<GradeReport>('grade-bad.json'));
const EXPLANATION = fixture<Explanation>('explanation-blocked.json');
const LIBRARY: LibraryResult = {
  library: 'cors@2.8.6 (express)',
  conforms: false,
  policies: [
    { id: 'one-origin', description: 'one exact origin', verdict: 'pass', findings: [] },
    {
      id: 'wildcard-subdomain',
      description: 'every https subdomain of a domain',
      verdict: 'fail',
      findings: [
        { category: 'lookalike', severity: 'high', origin: 'https://evil.aexample.com', engines: ['chromium', 'firefox'] },
        { category: 'parent-domain', severity: 'high', origin: 'https://example.com', engines: ['webkit'] },
      ],
    },
  ],
};
const RESULTS = loadResults(new URL('../report/fixtures/results.json', import.meta.url).pathname);

// ---- what "nothing raw" means, per format ----

/** The attributes this project's pages use. */
const ATTRIBUTES = new Set(['lang', 'charset', 'name', 'content', 'class', 'id', 'href', 'border', 'cellpadding']);

/** Problems in a page: a script, a control character, a tag that is not a bare name with the
 *  project's quoted attributes, or a link that runs code. */
function pageProblems(page: string): string[] {
  const out: string[] = [];
  if (/<script/i.test(page)) out.push('a <script> element');
  if (hasControlCharacter(page)) out.push('a control character');
  for (const [tag] of page.matchAll(/<[^>]*>?/g)) {
    if (/^<!doctype html>$/i.test(tag)) continue;
    const m = /^<\/?([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>$/i.exec(tag);
    if (!m) {
      out.push(`a tag the project did not write: ${tag.slice(0, 80)}`);
      continue;
    }
    for (const [, name, value] of (m[2] ?? '').matchAll(/([a-z-]+)="([^"]*)"/gi)) {
      if (!ATTRIBUTES.has(name ?? '')) out.push(`attribute ${name}`);
      if (name === 'href' && /^\s*javascript:/i.test(value ?? '')) out.push(`a javascript: link ${value}`);
    }
  }
  return out;
}

/** Problems in terminal text: a control character, or a line that is not one of the lines the
 *  same output has for ordinary input. */
function terminalProblems(text: string, ordinary: string): string[] {
  const out: string[] = [];
  if (hasControlCharacter(text)) out.push('a control character');
  const lines = text.split('\n');
  if (lines.length !== ordinary.split('\n').length) out.push(`${lines.length} lines, not ${ordinary.split('\n').length}`);
  if (lines.some((l) => l.startsWith('ALL CHECKS PASSED'))) out.push('a line of the input’s own');
  return out;
}

/** A minimal XML 1.0 well-formedness check: characters XML allows, one root, tags that nest
 *  and close, quoted attributes without `<` or duplicates, and only the five entities and
 *  character references of allowed characters. */
function xmlProblems(xml: string): string[] {
  const out: string[] = [];
  const allowed = (c: number) =>
    c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
  for (const ch of xml) {
    const c = ch.codePointAt(0) ?? 0;
    if (!allowed(c)) out.push(`character U+${c.toString(16).padStart(4, '0')}`);
  }
  const references = (s: string, where: string) => {
    for (const m of s.matchAll(/&([^;&\s]*);?/g)) {
      const ref = m[1] ?? '';
      const num = /^#x([0-9a-f]+)$/i.exec(ref)?.[1] ?? /^#(\d+)$/.exec(ref)?.[1];
      const code = num === undefined ? null : Number.parseInt(num, /^#x/i.test(ref) ? 16 : 10);
      if (!m[0].endsWith(';') || (code === null ? !['lt', 'gt', 'amp', 'quot', 'apos'].includes(ref) : !allowed(code))) out.push(`${where}: reference ${m[0]}`);
    }
  };
  const body = xml.replace(/^<\?xml [^?]*\?>/, '');
  const stack: string[] = [];
  let roots = 0;
  for (const m of body.matchAll(/<([^>]*)>|([^<]+)|(<)/g)) {
    const [whole, tag, text, lone] = m;
    if (lone) out.push('a < that opens no tag');
    else if (text !== undefined) {
      if (!stack.length && text.trim()) out.push('text outside the root');
      references(text, 'text');
    } else if (tag !== undefined) {
      const close = /^\/([A-Za-z_][\w.-]*)\s*$/.exec(tag);
      if (close) {
        if (stack.pop() !== close[1]) out.push(`${whole} closes nothing open`);
        continue;
      }
      const open = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)$/.exec(tag);
      if (!open) {
        out.push(`not a tag: ${whole.slice(0, 80)}`);
        continue;
      }
      const names = [...(open[2] ?? '').matchAll(/([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|'[^']*')/g)].map((a) => {
        references(a[2] ?? '', `attribute ${a[1]}`);
        return a[1];
      });
      if (new Set(names).size !== names.length) out.push(`${open[1]}: an attribute twice`);
      if (!stack.length) roots++;
      if (!open[3]) stack.push(open[1] ?? '');
    }
  }
  if (stack.length) out.push(`unclosed ${stack.join(', ')}`);
  if (roots !== 1) out.push(`${roots} root elements`);
  return out;
}

/** A Markdown line without its code spans, as CommonMark pairs backtick runs. */
function outsideCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const run = /^`+/.exec(line.slice(i))?.[0];
    if (!run) {
      out += line[i];
      i++;
      continue;
    }
    const end = line.slice(i + run.length).search(new RegExp(`(?<!\`)${run}(?!\`)`));
    if (end < 0) {
      out += run;
      i += run.length;
    } else i += run.length + end + run.length;
  }
  return out;
}

/** Cells of a table row as GitHub splits it: at every pipe a backslash does not escape, the
 *  backslashes before a pipe read in pairs. */
const cellCount = (row: string): number => row.replace(/\\[\s\S]/g, '').split('|').length - 2;

/** The lines outside fenced code blocks (whose contents may break lines: nothing in them is markup). */
function linesOutsideFences(text: string): number {
  let fence: string | null = null;
  let n = 0;
  for (const line of text.split('\n')) {
    if (fence !== null) fence = line === fence ? null : fence;
    else if (/^`{3,}$/.test(line)) fence = line;
    else n++;
  }
  return n;
}

/** Problems in Markdown: a control character, a line of the input's own, a table row with more
 *  or fewer cells than its header, or, outside code spans and fenced code blocks, anything that starts markup beyond
 *  the project's own headings, quotes, lists, bold and table pipes. */
function markdownProblems(text: string, ordinary: string): string[] {
  const out: string[] = [];
  if (hasControlCharacter(text)) out.push('a control character');
  const lines = text.split('\n');
  const outside = linesOutsideFences(text);
  const expected = linesOutsideFences(ordinary);
  if (outside !== expected) out.push(`${outside} lines outside code blocks, not ${expected}`);
  let header = 0;
  // A fenced code block: nothing inside is markup; only a line of its own fence closes it.
  let fence: string | null = null;
  for (const line of lines) {
    if (fence !== null) {
      if (line === fence) fence = null;
      else if (/^\s*`{3,}\s*$/.test(line) && line.trim().length >= fence.length) out.push(`a line that closes the code block: ${line}`);
      continue;
    }
    if (/^`{3,}$/.test(line)) {
      fence = line;
      continue;
    }
    if (line.startsWith('|')) {
      const cells = cellCount(line);
      if (!header || !line.startsWith('| ')) header = cells;
      else if (cells !== header) out.push(`a row of ${cells} cells under a header of ${header}: ${line.slice(0, 80)}`);
    } else header = 0;
    const prose = outsideCodeSpans(line)
      .replace(/^(#+ |> |- )/, '')
      .replace(/\*\*/g, '')
      .replace(/\\\|/g, '');
    const raw = /[<>@`[\]*_~\\]|&(?!#\d+;)/.exec(prose.replace(/\|/g, ''));
    if (raw) out.push(`${JSON.stringify(raw[0])} outside a code span: ${line.slice(0, 100)}`);
  }
  return out;
}

// ---- the checks can fail ----

test('the checks find what they look for', () => {
  expect(pageProblems('<p title="a" onclick="x">b</p><script>')).toEqual(['a <script> element', 'attribute title', 'attribute onclick']);
  expect(pageProblems('<p>a<img src=x></p>')).toEqual(['a tag the project did not write: <img src=x>']);
  expect(pageProblems('<a href=" javascript:alert(1)">x</a>')).toEqual(['a javascript: link  javascript:alert(1)']);
  expect(terminalProblems('a\u001b[32m\nALL CHECKS PASSED', 'a')).toEqual(['a control character', '2 lines, not 1', 'a line of the input’s own']);
  expect(xmlProblems('<a b="1" b="2">&nbsp;\u001b<c></a>')).toEqual([
    'character U+001b',
    'a: an attribute twice',
    'text: reference &nbsp;',
    '</a> closes nothing open',
    'unclosed a',
  ]);
  expect(xmlProblems(`<a>\ud800</a><b/>`)).toEqual(['character U+d800', '2 root elements']);
  expect(xmlProblems('<?xml version="1.0" encoding="UTF-8"?>\n<a x="&lt;&#60;">&amp;&#x1F600;</a>\n')).toEqual([]);
  expect(markdownProblems('| a | b |\n|---|---|\n| `x|y` | z |', '\n\n')).toEqual(['a row of 3 cells under a header of 2: | `x|y` | z |']);
  expect(markdownProblems('**a** `<b>` &#64;c', '')).toEqual([]);
  expect(markdownProblems('a @b', '')).toEqual(['"@" outside a code span: a @b']);
  expect(markdownProblems('`` ` `` <x>', '')).toEqual(['"<" outside a code span: `` ` `` <x>']);
});

// ---- every output ----

/** A grade's certificate and each probe's outcome choose lines (the --insecure line, JUnit's
 *  error cases); kept, so that those lines are there too. */
/** A configuration's snippet is this project's text, written from the validated policy (its
 *  values escaped for each language: tests/unit/grade-configuration.spec.ts); it stays. */
const GRADE_KEEP: Marking = { keep: ['certificate', 'outcome', 'snippet'] };
/** Outcomes, engine ids and initiator kinds choose a results file's rows and sections (a kind
 *  outside the registry is refused when a results file is loaded), and the report parses the
 *  cases' URLs; they stay. */
const RESULTS_KEEP: Marking = { keep: ['outcome', 'id', 'url', 'kind'], rekey: false };

test('the explanation page: every value escaped, no element, attribute or link of the input', () => {
  // From a HAR, with what was left out and the fix in express.
  const captured: Explanation = {
    ...EXPLANATION,
    capture: {
      format: 'har',
      shape: 'firefox',
      entry: { index: 2, of: 5 },
      originFrom: 'Origin',
      leftOut: [{ name: 'Cookie session', why: 'a cookie' }],
      recorded: 'used',
      notes: ['a note'],
    },
    config: {
      framework: 'express',
      name: 'Express',
      chosenBy: 'server-headers',
      snippet: "app.use(cors({ origin: ['https://a.example'] }));",
      policy: { origins: ['https://a.example'], originPatterns: [], methods: ['GET'], headers: [], exposedHeaders: [], credentials: false },
      caveats: ['a caveat'],
    },
  };
  const page = explainHtml(hostile(captured));
  expect(page).toContain('From the capture');
  expect(pageProblems(page)).toEqual([]);
  expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  expect(pageProblems(explainHtml(EXPLANATION))).toEqual([]);
});

test('the grade page: every value escaped, no element, attribute or link of the input', () => {
  const page = gradeHtml(hostile(GRADE, GRADE_KEEP));
  expect(pageProblems(page)).toEqual([]);
  expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  expect(pageProblems(gradeHtml(GRADE))).toEqual([]);
});

test('the library page: escaped too, where it escaped nothing before', () => {
  const page = libraryHtml(hostile(LIBRARY));
  expect(pageProblems(page)).toEqual([]);
  expect(page).toContain('&#60;img src=x onerror=alert(2)&#62;');
  // A policy id that is a script URL is no link.
  const scripted = libraryHtml({ ...LIBRARY, policies: [{ id: 'javascript:alert(1)//', description: 'x', verdict: 'pass', findings: [] }] });
  expect(scripted).toContain('<a href="#">details</a>');
});

test('messages.html: the engines’ words, case ids and the standard’s steps escaped', () => {
  const results = hostile(RESULTS, RESULTS_KEEP);
  results.cases = results.cases.map((c) => ({ ...c, id: `${HOSTILE}${c.id}` }));
  const page = messagesHtml(results);
  expect(pageProblems(page)).toEqual([]);
  expect(page).toContain('\\x1b[32m');
  // Rows were written: the hostile messages reached the page, escaped.
  expect(page.match(/<details>/g)?.length ?? 0).toBeGreaterThan(3);
  // A step whose anchor is a script URL is no link.
  for (const c of results.cases) for (const step of c.spec?.steps ?? []) step.anchor = ' javascript:alert(1)';
  const scripted = messagesHtml(results);
  expect(pageProblems(scripted)).toEqual([]);
  expect(scripted).toContain('<a href="#">');
});

test('the terminal summary and explain’s text: no control character, no line of the input’s own', () => {
  const summary = terminalSummary(hostile(GRADE, GRADE_KEEP));
  expect(terminalProblems(summary, terminalSummary(plain(GRADE, GRADE_KEEP)))).toEqual([]);
  expect(summary).toContain('\\x1b[32m\\nALL CHECKS PASSED\\x1b[0m\\r\\x07\\u009b[31m');
  expect(summary).toContain('certificate verification: OFF');
  expect(terminalProblems(explainText(hostile(EXPLANATION)), explainText(plain(EXPLANATION)))).toEqual([]);
});

test('JUnit: well-formed XML whatever the input, the same test cases', () => {
  const xml = junitXml(hostile(GRADE, GRADE_KEEP));
  expect(xmlProblems(xml)).toEqual([]);
  expect(xmlProblems(junitXml(GRADE))).toEqual([]);
  expect(xml.match(/<testcase /g)?.length).toBe(junitXml(GRADE).match(/<testcase /g)?.length);
  expect(xml).toContain('<failure ');
  expect(xml).toContain('<error ');
});

test('SARIF: valid SARIF 2.1.0, its help Markdown inert, no control character in the file', () => {
  const schema = JSON.parse(readFileSync('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', 'utf8')) as object;
  // The SARIF schema is draft-04: Ajv's draft-04 build, its patterns read without the u flag;
  // its formats (uri, date-time) go unchecked, without a warning for each.
  const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as new (opts: {
    allErrors: boolean;
    strict: boolean;
    unicodeRegExp: boolean;
    logger: false;
  }) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } };
  const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, logger: false }).compile(schema);
  const helpOf = (report: GradeReport) =>
    (
      JSON.parse(jsonText(gradeSarif(report, 'examples/cors-policy.json'))) as {
        runs: Array<{ tool: { driver: { rules: Array<{ help: { markdown: string } }> } } }>;
      }
    ).runs[0]?.tool.driver.rules.map((r) => r.help.markdown) ?? [];
  const ordinary = helpOf(plain(GRADE));
  for (const report of [GRADE, hostile(GRADE)]) {
    const text = jsonText(gradeSarif(report, 'examples/cors-policy.json'), 1);
    expect(hasControlCharacter(text)).toBe(false);
    const sarif = JSON.parse(text) as { runs: Array<{ tool: { driver: { rules: Array<{ help: { markdown: string } }> } } }> };
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const rules = sarif.runs[0]?.tool.driver.rules ?? [];
    expect(rules.length).toBeGreaterThan(0);
    rules.forEach((r, i) => {
      expect(markdownProblems(r.help.markdown, ordinary[i] ?? '')).toEqual([]);
    });
    // The causes' fix as express's configuration is in the help, in a code block.
    expect(rules.some((r) => /\n```+\n/.test(r.help.markdown))).toBe(true);
  }
});

test('the grade’s Markdown: code spans closed, cells whole, no HTML, mention or emphasis of the input', () => {
  const text = gradeMarkdown(hostile(GRADE, GRADE_KEEP));
  expect(markdownProblems(text, gradeMarkdown(plain(GRADE, GRADE_KEEP)))).toEqual([]);
  expect(markdownProblems(gradeMarkdown(GRADE), gradeMarkdown(GRADE))).toEqual([]);
  // Every table is there, with the hostile paths in code spans the backticks cannot close.
  for (const heading of ['### Root causes', '### The fix as', '### Paths', '### Cookie policy, measured', '> Certificate verification was off'])
    expect(text).toContain(heading);
  expect(text).toMatch(/\| ``` `<script>/);
});

test('the reference summary in Markdown: engine names, versions, ids and the baseline’s name inert', () => {
  const summary = (r: ResultsFile, marker: string) =>
    markdownSummary(r, buildView(r, { source: 'results.json', baseline: { source: `${marker}baseline.json`, diff: diffResults(r, r) } }));
  const text = summary(hostile(RESULTS, RESULTS_KEEP), HOSTILE);
  expect(markdownProblems(text, summary(plain(RESULTS, RESULTS_KEEP), 'x'))).toEqual([]);
  expect(text).toContain('&#60;script&#62;');
});

test('grade.json, conformance.json and explain --json hold no control character, and read back the same', () => {
  for (const value of [hostile(GRADE), hostile(LIBRARY), hostile(EXPLANATION)]) {
    const text = jsonText(value, 1);
    expect(hasControlCharacter(text)).toBe(false);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
  }
});
