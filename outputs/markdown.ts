// Markdown as this project writes it (a CI job's summary page, a pull request comment, SARIF's
// help): the `md` tagged template, the Markdown twin of `html`. The template's own text is the
// project's markup; every interpolated string goes through markdownText, unless it is itself
// Markdown (made by `md`, `code` or `joined`). So a path, an origin or an engine's version can
// neither start markup, mention anyone, nor end a table cell.
//
//   md`**${title}** (${code(category)})`
//
// Then the grade's summary for a CI job, written with them.
import { failsGrade } from '../grade/judge/findings.ts';
import { cookieWord } from '../grade/probes/cookie-policy.ts';
import type { GradeReport } from '../grade/types.ts';
import { cookiePolicyQuestion, failingOn, signedInLine } from './grade-words.ts';
import { markdownBlock, markdownCode, markdownText } from './text.ts';

const MD = Symbol('markdown');

/** Markdown that is already safe: made by `md`, `code` or `joined`. */
export interface Markdown {
  readonly [MD]: true;
  readonly text: string;
  toString(): string;
}

/** No booleans: `md` writes what it is given, and a `false` in a table cell is a value. */
type Interpolation = Markdown | string | number | null | undefined | readonly Interpolation[];

function safe(text: string): Markdown {
  return { [MD]: true, text, toString: () => text };
}

function isMarkdown(v: unknown): v is Markdown {
  return typeof v === 'object' && v !== null && MD in v;
}

function render(v: Interpolation): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (isMarkdown(v)) return v.text;
  return markdownText(String(v));
}

export function md(strings: TemplateStringsArray, ...values: Interpolation[]): Markdown {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return safe(out);
}

/** Text as a code span the text cannot close. */
export function code(s: string): Markdown {
  return safe(markdownCode(s));
}

/** Lines as a fenced code block the text cannot close. */
export function block(s: string): Markdown {
  return safe(markdownBlock(s));
}

/** Items, each made safe, between separators of the project's own. */
export function joined(items: readonly Interpolation[], separator: string): Markdown {
  return safe(items.map(render).join(separator));
}

/** A cell's Markdown with every pipe escaped. GitHub splits a table row at any pipe, inside a
 *  code span too, unless a backslash escapes it, and reads the backslashes before a pipe in
 *  pairs: a run of them is made even first, so the last backslash is the pipe's own escape. */
function cellText(v: Interpolation): string {
  return render(v).replace(/(\\*)\|/g, (_m, run: string) => `${run}${run.length % 2 ? '\\' : ''}\\|`);
}

/** A table: the header line, the delimiter line and one line per row. */
export function table(header: readonly string[], rows: readonly (readonly Interpolation[])[]): Markdown[] {
  const line = (cells: readonly Interpolation[]) => safe(`| ${cells.map(cellText).join(' | ')} |`);
  return [line(header), safe(`|${header.map(() => '---').join('|')}|`), ...rows.map(line)];
}

/** Lines as one document, ending in a newline. */
export function markdownDocument(lines: readonly Markdown[]): string {
  return `${lines.map((l) => l.text).join('\n')}\n`;
}

export const BLANK = md``;

/** A sentence from its first letter up. */
const capitalised = (s: string): string => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

/** The grade as Markdown for a CI job's summary page (GITHUB_STEP_SUMMARY). */
export function gradeMarkdown(r: GradeReport): string {
  const failing = r.causes.filter((c) => failsGrade(c.severity));
  const lines = [
    md`## CORS grade: ${r.verdict === 'pass' ? '✅ pass' : r.verdict === 'fail' ? '❌ fail' : '⚠️ error'}`,
    BLANK,
    md`Target ${code(r.target)}, in ${r.engines.map((e) => `${e.name} ${e.version}`).join(', ')}; ${r.probes.length} probes per engine.`,
    BLANK,
  ];
  if (r.certificate === 'not-checked') lines.push(md`> Certificate verification was off (\`--insecure\`): the target's certificate was not checked.`, BLANK);
  const signedIn = signedInLine(r);
  if (signedIn) lines.push(md`${capitalised(signedIn)}.`, BLANK);
  if (r.causes.length) {
    lines.push(
      md`### Root causes (${failing.length} failing)`,
      BLANK,
      ...table(
        ['severity', 'cause', 'paths', 'what was seen', 'fix'],
        r.causes.map((c) => [c.severity, md`**${c.title}** (${code(c.category)})`, joined(c.paths.map(code), ', '), c.summary, c.fix]),
      ),
      BLANK,
    );
  } else lines.push(md`No findings.`, BLANK);
  if (r.configuration) {
    const k = r.configuration;
    lines.push(md`### The fix as ${k.name}'s configuration`, BLANK);
    if (k.chosenBy === 'server-headers') lines.push(md`The target's headers name it; choose another with ${code('--framework')}.`, BLANK);
    for (const b of k.blocks) {
      lines.push(
        md`For ${joined(b.paths.map(code), ', ')}, fixing ${joined(
          b.causes.map((i) => code(r.causes[i]?.category ?? '')),
          ', ',
        )}:`,
        BLANK,
      );
      if (b.snippet) lines.push(block(b.snippet), BLANK);
      for (const c of b.caveats) lines.push(md`- ${c}`);
      if (b.caveats.length) lines.push(BLANK);
    }
  }
  if (r.endpoints.length > 1 || r.endpoints.some((e) => e.entry !== null || e.source === 'openapi')) {
    lines.push(
      md`### Paths`,
      BLANK,
      ...table(
        ['path', 'methods', 'rules of', 'origins', 'credentials', 'findings'],
        r.endpoints.slice(0, 50).map((e) => {
          const n = failingOn(r, e.path);
          return [
            md`${code(e.path)}${e.declared !== e.path ? md` (${code(e.declared)})` : ''}`,
            e.methods.join(', '),
            e.entry ? code(e.entry) : 'top level',
            e.rules.origins.join(', '),
            String(e.rules.credentials),
            n ? `❌ ${n}` : '✅ 0',
          ];
        }),
      ),
    );
    if (r.endpoints.length > 50) lines.push(md`\n… and ${r.endpoints.length - 50} more paths in grade.json.`);
    lines.push(BLANK);
  }
  if (r.search) {
    const s = r.search;
    lines.push(
      md`Origin search: ${s.candidates} candidates, ${s.screened} screened in ${s.ms.screen} ms, ${s.flagged} flagged, ${s.probed} tried in the browsers, ${s.confirmed} confirmed.`,
      BLANK,
    );
  }
  if (r.cookiePolicy) {
    lines.push(
      md`### Cookie policy, measured`,
      BLANK,
      md`${capitalised(cookiePolicyQuestion(r) ?? '')}:`,
      BLANK,
      ...table(
        ['engine', 'same-origin (control)', 'same-site', 'cross-site', 'credentialed attacker probes with it'],
        Object.entries(r.cookiePolicy.engines).map(([e, c]) => [
          e,
          cookieWord(c.sameOrigin),
          cookieWord(c.sameSite),
          cookieWord(c.crossSite),
          `${c.attackerProbes.withCookie} of ${c.attackerProbes.total}`,
        ]),
      ),
      BLANK,
    );
  }
  if (r.errors.length) lines.push(md`${r.errors.length} probe(s) gave no verdict; see grade.json.`, BLANK);
  return markdownDocument(lines);
}
