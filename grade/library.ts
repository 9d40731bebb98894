// Library conformance mode: a CORS library supplies an adapter that starts a server
// configured for a policy; the suite grades it across a standard set of policies, in
// real engines, and writes one conformance report per library.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserChoice } from '../engines/index.ts';
import type { EngineId } from '../model/results.ts';
import { validatePolicy, type Policy } from './input/policy.ts';
import { grade } from './run.ts';
import { openGradeSession } from '../pipeline/session.ts';
import type { GradeReport } from './types.ts';

export interface LibraryAdapter {
  /** The library's name and version, e.g. `cors@2.8.6 (express)`. */
  name: string;
  /** Starts a server on loopback that applies `policy`, answering every policy path. */
  start(policy: Policy): Promise<{ url: string; stop(): Promise<void> }>;
}

export interface StandardPolicy {
  id: string;
  description: string;
  policy: Policy;
}

const PATHS = [{ path: '/api/items', methods: ['GET', 'POST', 'PUT'] }];

export const STANDARD_POLICIES: StandardPolicy[] = [
  ['one-origin', 'one exact origin', { origins: ['https://app.example.com'], methods: ['GET', 'POST', 'PUT'], paths: PATHS }],
  [
    'several-origins',
    'several exact origins',
    { origins: ['https://app.example.com', 'https://admin.example.org'], methods: ['GET', 'POST', 'PUT'], paths: PATHS },
  ],
  ['credentials', 'one origin with credentials', { origins: ['https://app.example.com'], methods: ['GET', 'POST', 'PUT'], credentials: true, paths: PATHS }],
  ['wildcard-subdomain', 'every https subdomain of a domain', { origins: ['https://*.example.com'], methods: ['GET', 'POST', 'PUT'], paths: PATHS }],
  [
    'exposed-headers',
    'request and exposed headers',
    {
      origins: ['https://app.example.com'],
      methods: ['GET', 'POST', 'PUT'],
      requestHeaders: ['Content-Type', 'X-Api-Key'],
      exposedHeaders: ['X-Request-Id'],
      paths: PATHS,
    },
  ],
  [
    'max-age',
    'preflights cached for ten minutes',
    { origins: ['https://app.example.com'], methods: ['GET', 'POST', 'PUT'], requestHeaders: ['Content-Type'], maxAge: 600, paths: PATHS },
  ],
  ['any-origin', 'any origin, without credentials', { origins: ['*'], methods: ['GET', 'POST', 'PUT'], paths: PATHS }],
].map(([id, description, raw]) => ({ id: id as string, description: description as string, policy: validatePolicy(raw) }));

export async function loadAdapter(spec: string): Promise<LibraryAdapter> {
  const mod = (await import(pathToFileURL(resolve(spec)).href)) as { default?: LibraryAdapter; adapter?: LibraryAdapter };
  const adapter = mod.default ?? mod.adapter;
  if (!adapter || typeof adapter.start !== 'function' || typeof adapter.name !== 'string') {
    throw new Error(`--adapter ${spec}: export default { name, start(policy) => Promise<{ url, stop }> }`);
  }
  return adapter;
}

export interface LibraryResult {
  library: string;
  conforms: boolean;
  policies: Array<{
    id: string;
    description: string;
    verdict: GradeReport['verdict'];
    findings: Array<{ category: string; severity: string; origin: string; engines: EngineId[] }>;
  }>;
}

/** Grades `adapter` across the standard policies in one session. Each policy's report goes to
 *  `onGraded` as soon as it is graded (the caller writes it), so a crash keeps what finished. */
export async function gradeLibrary(
  adapter: LibraryAdapter,
  opts: {
    name: string;
    engines: EngineId[];
    browsers: BrowserChoice;
    log?: (line: string) => void;
    policies?: StandardPolicy[];
    onGraded?: (policyId: string, report: GradeReport) => void;
  },
): Promise<LibraryResult> {
  const session = await openGradeSession(opts.engines, opts.browsers);
  const result: LibraryResult = { library: opts.name, conforms: true, policies: [] };
  try {
    for (const sp of opts.policies ?? STANDARD_POLICIES) {
      const server = await adapter.start(sp.policy);
      try {
        const report = await grade(session, { target: server.url, policy: sp.policy });
        opts.onGraded?.(sp.id, report);
        result.policies.push({
          id: sp.id,
          description: sp.description,
          verdict: report.verdict,
          findings: report.findings.map((f) => ({ category: f.category, severity: f.severity, origin: f.origin, engines: f.engines })),
        });
        if (report.verdict !== 'pass') result.conforms = false;
        opts.log?.(`${opts.name} · ${sp.id}: ${report.verdict}${report.findings.length ? ` (${report.findings.map((f) => f.category).join(', ')})` : ''}`);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await session.close();
  }
  return result;
}
