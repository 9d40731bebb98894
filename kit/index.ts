// The package's programmatic API (`import { grade, explain } from 'cors-conformance'`): the same
// grading and explanation as the command line, through the same stages (grade/plan.ts,
// grade/run.ts, explain/explain.ts), with the policy loader, the result types and the JSON
// Schemas of what they return. The Playwright kit is cors-conformance/playwright (kit/playwright.ts).
import { join } from 'node:path';
import { browserChoiceFrom, type BrowserChoice } from '../engines/index.ts';
import { explain as explainRequest, type Explanation } from '../explain/explain.ts';
import { parseExplainArgs } from '../explain/request.ts';
import { parsePathParams, resolveEndpoints } from '../grade/input/endpoints.ts';
import { loadOpenApi } from '../grade/input/openapi.ts';
import { loadPolicy, type Policy, validatePolicy } from '../grade/input/policy.ts';
import { signedInFrom } from '../grade/input/signed-in.ts';
import { planGrade } from '../grade/plan.ts';
import { gradePlanned } from '../grade/run.ts';
import type { GradeReport } from '../grade/types.ts';
import { PACKAGE_ROOT } from '../model/package.ts';
import { ENGINE_IDS, type EngineId } from '../model/results.ts';
import { type SchemaKind, validate } from '../model/schemas.ts';
import { type TargetTls, VERIFY_TLS } from '../model/wire.ts';
import { openGradeSession } from '../pipeline/session.ts';
import { checkTargetAnswers, parseTarget } from '../pipeline/target.ts';

export type { Cause } from '../grade/judge/causes.ts';
export type { Finding, GradeReport, GradedProbe } from '../grade/types.ts';
export type { EngineExplanation, Explanation, Fix } from '../explain/explain.ts';
export type { Policy, PolicyPath } from '../grade/input/policy.ts';
export type { EngineId } from '../model/results.ts';
export type { TargetTls } from '../model/wire.ts';
export type { BrowserChoice } from '../engines/index.ts';
export type { SchemaError, SchemaKind } from '../model/schemas.ts';
export { PolicyError } from '../grade/input/policy.ts';
export { UserError } from '../model/errors.ts';
export { ENGINE_IDS, loadPolicy, validatePolicy };

export interface GradeInput {
  /** The base URL of the server, e.g. http://127.0.0.1:3000 (a path prefix is kept). */
  target: string;
  /** The policy: a file (JSON, schemas/policy.schema.json) or the policy itself. */
  policy: string | unknown;
  /** The engines to grade in; all three by default. */
  engines?: EngineId[];
  /** An OpenAPI 3.0 or 3.1 document (a file) giving the endpoints, as --openapi. */
  openapi?: string;
  /** Values for `{name}` in paths, as --path-param. */
  pathParams?: Record<string, string>;
  /** The origin search (true by default); false is the fixed battery alone, as --no-search. */
  search?: boolean;
  /** A signed-in session: cookies (`name=value`) and the allowed origins' header values (`Name: value`). */
  cookies?: string[];
  requestHeaders?: string[];
  /** How an https target's certificate is checked; verified against the system's roots by default. */
  tls?: TargetTls;
  /** Which builds run the engines; from CC_BROWSERS by default. */
  browsers?: BrowserChoice;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

function policyOf(policy: string | unknown): Policy {
  return typeof policy === 'string' ? loadPolicy(policy) : validatePolicy(policy);
}

/** Grades `target` against its policy in real engines, as `cors-conformance grade` does;
 *  resolves with the report grade.json holds (verdict 'pass', 'fail' or 'error'). Throws a
 *  UserError for a policy, document or setup error (a target that does not answer included). */
export async function grade(input: GradeInput): Promise<GradeReport> {
  const policy = policyOf(input.policy);
  const signedIn = signedInFrom({ cookie: input.cookies ?? [], 'request-header': input.requestHeaders ?? [] }, policy);
  const params = input.pathParams ?? {};
  const api = input.openapi ? await loadOpenApi(input.openapi, params, parseTarget(input.target).pathname) : null;
  const endpoints = resolveEndpoints(policy, api, params);
  const plan = await planGrade({
    target: input.target,
    policy,
    endpoints,
    signedIn,
    tls: input.tls ?? VERIFY_TLS,
    noSearch: input.search === false,
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  const session = await openGradeSession(input.engines ?? [...ENGINE_IDS], input.browsers ?? browserChoiceFrom(process.env));
  try {
    return await gradePlanned(session, plan, {
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } finally {
    await session.close();
  }
}

export interface ExplainInput {
  /** The URL the page fetches. */
  url: string;
  /** The page's origin, e.g. https://app.example.com, or "null". */
  origin: string;
  method?: string;
  /** Request headers, 'Name: value'. */
  headers?: string[];
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
  engines?: EngineId[];
  tls?: TargetTls;
  browsers?: BrowserChoice;
}

/** Why one request works or is blocked, in each engine and in the spec model, and the smallest
 *  fix, as `cors-conformance explain --json` prints it. */
export async function explain(input: ExplainInput): Promise<Explanation> {
  const req = parseExplainArgs({
    url: input.url,
    origin: input.origin,
    ...(input.method ? { method: input.method } : {}),
    ...(input.headers ? { header: input.headers } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.credentials ? { credentials: input.credentials } : {}),
    ...(input.engines ? { engine: input.engines } : {}),
  });
  const tls = input.tls ?? VERIFY_TLS;
  await checkTargetAnswers(new URL(req.url.origin), req.url.pathname + req.url.search, tls);
  const session = await openGradeSession(req.engines, input.browsers ?? browserChoiceFrom(process.env));
  try {
    return await explainRequest(session, req, { tls });
  } finally {
    await session.close();
  }
}

/** The JSON Schema file of a result (grade, explain, results) or of the policy. */
export function schemaFile(kind: SchemaKind): string {
  return join(PACKAGE_ROOT, 'schemas', `${kind}.schema.json`);
}

/** Checks a value against its published schema; the errors name the field, none when it conforms. */
export { validate };

/** The path parameters of `name=value` lines, as --path-param and CORS_PATH_PARAMS read them. */
export { parsePathParams };
