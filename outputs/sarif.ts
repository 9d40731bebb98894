// The grade as SARIF 2.1.0 for code scanning: one result per root cause, and per finding as
// evidence. A result points at the policy file, at the line of the entry whose rules hold on its
// path; the path itself is its logical location, and an --openapi document's line for that path
// a related location. Messages are plain text (JSON carries any string); a rule's help is also
// given as Markdown, written with `md`.
import { readFileSync } from 'node:fs';
import type { Severity } from '../grade/judge/findings.ts';
import type { GradeReport } from '../grade/types.ts';
import { block, code, joined, type Markdown, md } from './markdown.ts';

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

interface PhysicalLocation {
  artifactLocation: { uri: string };
  region?: { startLine: number };
}

interface SarifLocation {
  physicalLocation: PhysicalLocation;
  logicalLocations?: Array<{ fullyQualifiedName: string; kind: 'resource' }>;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: Array<{ id: number; physicalLocation: PhysicalLocation; message: { text: string } }>;
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

/** The 1-based line of the first match of `pattern` in a file, or null (unreadable, or not there). */
function lineOf(text: string | null, pattern: RegExp): number | null {
  if (text === null) return null;
  const i = text.split('\n').findIndex((l) => pattern.test(l));
  return i < 0 ? null : i + 1;
}

function readOrNull(file: string | undefined): string | null {
  try {
    return file ? readFileSync(file, 'utf8') : null;
  } catch {
    return null;
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The grade as a SARIF 2.1.0 log: rules from the cause and finding categories, help from their
 * fixes. `openapiFile` is the --openapi document, when one gave paths.
 */
export function gradeSarif(r: GradeReport, policyFile: string, openapiFile?: string): object {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const rule = (id: string, title: string, fix: string, severity: Severity, configured: Markdown[] = []): number => {
    const known = ruleIndex.get(id);
    if (known !== undefined) return known;
    rules.push({
      id,
      name: id.replace(/(^|[-/])([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase()),
      shortDescription: { text: title },
      help: { text: fix, markdown: [md`**Fix:** ${fix}`, ...configured].map((m) => m.text).join('\n\n') },
      properties: { tags: ['security', 'cors'], 'security-severity': SECURITY_SEVERITY[severity] },
    });
    ruleIndex.set(id, rules.length - 1);
    return rules.length - 1;
  };
  // The policy is the artifact a finding points at: it is what the server is graded against;
  // on its line for the entry whose rules hold on the path ("origins" for the top level's).
  const policyText = readOrNull(policyFile);
  const apiText = readOrNull(openapiFile);
  const entryLine = (path: string): number | null => {
    const entry = r.endpoints.find((e) => e.path === path)?.entry;
    const declared = entry ? r.policy.paths.find((p) => p.path === entry)?.path : undefined;
    return declared ? lineOf(policyText, new RegExp(`"${escapeRegExp(declared)}"`)) : lineOf(policyText, /"origins"\s*:/);
  };
  const location = (path: string | null): SarifLocation[] => {
    const line = path ? entryLine(path) : null;
    return [
      {
        physicalLocation: { artifactLocation: { uri: policyFile }, ...(line ? { region: { startLine: line } } : {}) },
        ...(path ? { logicalLocations: [{ fullyQualifiedName: path, kind: 'resource' as const }] } : {}),
      },
    ];
  };
  // The document's line for the path, when the path comes from --openapi.
  const related = (path: string): Pick<SarifResult, 'relatedLocations'> => {
    const e = r.endpoints.find((x) => x.path === path);
    if (!openapiFile || e?.source !== 'openapi') return {};
    const line = lineOf(apiText, new RegExp(`^\\s*["']?${escapeRegExp(e.declared)}["']?\\s*:`));
    return {
      relatedLocations: [
        {
          id: 1,
          physicalLocation: { artifactLocation: { uri: openapiFile }, ...(line ? { region: { startLine: line } } : {}) },
          message: { text: `${e.declared} in the OpenAPI document` },
        },
      ],
    };
  };
  const results: SarifResult[] = [];
  // A cause's fix as the target's configuration, where the grade has one.
  const configured = (i: number): Markdown[] => {
    const k = r.configuration;
    if (!k) return [];
    return k.blocks
      .filter((b) => b.causes.includes(i))
      .flatMap((b) => [
        md`In ${k.name}, for ${joined(b.paths.map(code), ', ')}:`,
        ...(b.snippet ? [block(b.snippet)] : []),
        ...b.caveats.map((c) => md`- ${c}`),
      ]);
  };
  r.causes.forEach((c, i) => {
    const id = `cause/${c.category}`;
    results.push({
      ruleId: id,
      ruleIndex: rule(id, c.title, c.fix, c.severity, configured(i)),
      level: level(c.severity),
      message: { text: `${c.title}: ${c.summary} Target ${r.target}.` },
      locations: location(c.paths.length === 1 ? (c.paths[0] ?? null) : null),
      partialFingerprints: { causeCategory: `${r.target} ${c.category}` },
      properties: { severity: c.severity, findings: c.findings.length, imitates: c.imitates, paths: c.paths },
    });
  });
  r.findings.forEach((f, i) => {
    const id = `finding/${f.category}`;
    results.push({
      ruleId: id,
      ruleIndex: rule(id, f.title, f.fix, f.severity),
      level: level(f.severity),
      message: {
        text: `On ${f.path}, ${f.origin}${f.credentialed ? ' (with credentials)' : ''}: ${f.detail}. Seen ${f.engines.length ? `in ${f.engines.join(', ')}` : 'without a browser'}. Probe ${f.probe}.`,
      },
      locations: location(f.path),
      ...related(f.path),
      partialFingerprints: { finding: `${r.target} ${f.category} ${f.origin} ${f.credentialed} ${f.path} ${f.probe}` },
      properties: { severity: f.severity, engines: f.engines, origin: f.origin, credentialed: f.credentialed, session: f.session, path: f.path, index: i },
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
