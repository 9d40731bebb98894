// Where a grade goes in CI: SARIF 2.1.0 for code scanning (one result per root cause, and per
// finding as evidence), and a Markdown summary for the job page.
import { SEVERITY_RANK, type Severity } from './findings.ts';
import { cookieWord } from './cookie-policy.ts';
import { cookiePolicyQuestion, signedInLine } from './output.ts';
import type { GradeReport } from './types.ts';

const TOOL = 'cors-conformance';
const INFORMATION_URI = 'https://cors-conformance.dev';

type Level = 'error' | 'warning' | 'note';

function level(s: Severity): Level {
  return s === 'high' || s === 'medium' ? 'error' : s === 'low' ? 'warning' : 'note';
}

/** code scanning's security-severity: a number from 0 to 10. */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  help: { text: string; markdown: string };
  properties: { tags: string[]; 'security-severity': string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

/** The grade as a SARIF 2.1.0 log: rules from the cause and finding categories, help from their fixes. */
export function gradeSarif(r: GradeReport, policyFile: string): object {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const rule = (id: string, title: string, fix: string, severity: Severity): number => {
    const known = ruleIndex.get(id);
    if (known !== undefined) return known;
    rules.push({
      id,
      name: id.replace(/(^|[-/])([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase()),
      shortDescription: { text: title },
      help: { text: fix, markdown: `**Fix:** ${fix}` },
      properties: { tags: ['security', 'cors'], 'security-severity': SECURITY_SEVERITY[severity] },
    });
    ruleIndex.set(id, rules.length - 1);
    return rules.length - 1;
  };
  // The policy is the artifact a finding points at: it is what the server is graded against.
  const location = [{ physicalLocation: { artifactLocation: { uri: policyFile } } }];
  const results: SarifResult[] = [];
  for (const c of r.causes) {
    const id = `cause/${c.category}`;
    results.push({
      ruleId: id,
      ruleIndex: rule(id, c.title, c.fix, c.severity),
      level: level(c.severity),
      message: { text: `${c.title}: ${c.summary} Target ${r.target}.` },
      locations: location,
      partialFingerprints: { causeCategory: `${r.target} ${c.category}` },
      properties: { severity: c.severity, findings: c.findings.length, imitates: c.imitates },
    });
  }
  r.findings.forEach((f, i) => {
    const id = `finding/${f.category}`;
    results.push({
      ruleId: id,
      ruleIndex: rule(id, f.title, f.fix, f.severity),
      level: level(f.severity),
      message: {
        text: `${f.origin}${f.credentialed ? ' (with credentials)' : ''}: ${f.detail}. Seen ${f.engines.length ? `in ${f.engines.join(', ')}` : 'without a browser'}. Probe ${f.probe}.`,
      },
      locations: location,
      partialFingerprints: { finding: `${r.target} ${f.category} ${f.origin} ${f.credentialed} ${f.probe}` },
      properties: { severity: f.severity, engines: f.engines, origin: f.origin, credentialed: f.credentialed, session: f.session, index: i },
    });
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL, informationUri: INFORMATION_URI, rules } },
        results,
        invocations: [{ executionSuccessful: r.verdict !== 'error', startTimeUtc: r.startedAt, endTimeUtc: r.finishedAt }],
        properties: {
          target: r.target,
          verdict: r.verdict,
          engines: r.engines.map((e) => `${e.id} ${e.version}`),
          signedIn: r.signedIn,
          cookiePolicy: r.cookiePolicy,
        },
      },
    ],
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The grade as Markdown for a CI job's summary page (GITHUB_STEP_SUMMARY). */
export function gradeMarkdown(r: GradeReport): string {
  const failing = r.causes.filter((c) => SEVERITY_RANK[c.severity] >= SEVERITY_RANK.low);
  const lines = [
    `## CORS grade: ${r.verdict === 'pass' ? '✅ pass' : r.verdict === 'fail' ? '❌ fail' : '⚠️ error'}`,
    '',
    `Target \`${r.target}\`, in ${r.engines.map((e) => `${e.name} ${e.version}`).join(', ')}; ${r.probes.length} probes per engine.`,
    '',
  ];
  if (r.certificate === 'not-checked') lines.push("> Certificate verification was off (`--insecure`): the target's certificate was not checked.", '');
  const signedIn = signedInLine(r);
  if (signedIn) lines.push(`${signedIn[0]?.toUpperCase()}${signedIn.slice(1)}.`, '');
  if (r.causes.length) {
    lines.push(`### Root causes (${failing.length} failing)`, '', '| severity | cause | what was seen | fix |', '|---|---|---|---|');
    for (const c of r.causes) lines.push(`| ${c.severity} | **${cell(c.title)}** (\`${c.category}\`) | ${cell(c.summary)} | ${cell(c.fix)} |`);
    lines.push('');
  } else lines.push('No findings.', '');
  if (r.search) {
    const s = r.search;
    lines.push(
      `Origin search: ${s.candidates} candidates, ${s.screened} screened in ${s.ms.screen} ms, ${s.flagged} flagged, ${s.probed} tried in the browsers, ${s.confirmed} confirmed.`,
      '',
    );
  }
  if (r.cookiePolicy) {
    const question = cookiePolicyQuestion(r) ?? '';
    lines.push(
      '### Cookie policy, measured',
      '',
      `${question[0]?.toUpperCase()}${question.slice(1)}:`,
      '',
      '| engine | same-origin (control) | same-site | cross-site | credentialed attacker probes with it |',
      '|---|---|---|---|---|',
    );
    for (const [e, c] of Object.entries(r.cookiePolicy.engines))
      lines.push(
        `| ${e} | ${cookieWord(c.sameOrigin)} | ${cookieWord(c.sameSite)} | ${cookieWord(c.crossSite)} | ${c.attackerProbes.withCookie} of ${c.attackerProbes.total} |`,
      );
    lines.push('');
  }
  if (r.errors.length) lines.push(`${r.errors.length} probe(s) gave no verdict; see grade.json.`, '');
  return `${lines.join('\n')}\n`;
}
