// The commands' work, once the command line is parsed (cli/program.ts): each returns the exit
// code, or throws a UserError (exit 2). Loaded when a command runs, so that --help and
// --version answer without loading the engines.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../model/package.ts';
import { type TargetTls, VERIFY_TLS } from '../model/wire.ts';
import { ENGINE_IDS, type EngineId } from '../model/results.ts';
import { browserChoiceFrom } from '../engines/index.ts';
import { wantedEngines } from '../engines/selection.ts';
import { provisionEngines } from './install.ts';
import { initProject } from './init.ts';
import { loadPolicy, POLICY_LIMITS } from '../grade/input/policy.ts';
import { parsePathParams, resolveEndpoints } from '../grade/input/endpoints.ts';
import { loadOpenApi } from '../grade/input/openapi.ts';
import { gradePlanned } from '../grade/run.ts';
import { GRADE_LIMITS, planGrade } from '../grade/plan.ts';
import { openGradeSession } from '../pipeline/session.ts';
import { parseTarget } from '../pipeline/target.ts';
import { writeGradeOutputs } from '../outputs/grade.ts';
import { explainText, terminalSummary } from '../outputs/terminal.ts';
import { explainHtml } from '../outputs/pages/explain.ts';
import { gradeLibrary, loadAdapter } from '../grade/library.ts';
import { libraryDir, writeLibraryPolicyReport, writeLibraryResult } from '../outputs/library.ts';
import { signedInFrom } from '../grade/input/signed-in.ts';
import { mergeCommand, referenceCommand } from './reference.ts';
import { type ExplainOptions, runExplain } from '../explain/run.ts';
import { checkOutput } from '../outputs/json.ts';
import { jsonText } from '../outputs/text.ts';
import { UserError, type UserErrorDetails } from '../model/errors.ts';
import { FRAMEWORKS, frameworkId } from '../frameworks/config.ts';

export class UsageError extends UserError {
  constructor(message: string, details: UserErrorDetails = {}) {
    super(message, { showUsage: true, ...details });
  }
}

/** --ca <file> trusts a private CA besides the system's roots; --insecure checks no certificate. */
function targetTls(ca: string | undefined, insecure: boolean | undefined): TargetTls {
  if (ca && insecure) throw new UsageError('--ca and --insecure: give one; --ca keeps verification on with your CA, --insecure turns it off');
  if (insecure) return { insecure: true };
  if (!ca) return VERIFY_TLS;
  let pem: string;
  try {
    pem = readFileSync(ca, 'utf8');
  } catch (err) {
    throw new UsageError(`--ca ${ca}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a PEM file`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${ca}: not a PEM certificate (no BEGIN CERTIFICATE line)`);
  return { insecure: false, ca: pem };
}

/** The values of a secret, one per line, from its file or its environment variable; a value on
 *  the command line is refused, since every user of the machine can read it in ps. */
function secretLines(flag: string, given: string[] | undefined, file: string | undefined, env: string): string[] {
  if (given?.length)
    throw new UsageError(
      `--${flag}: a secret on the command line is visible to every user of this machine (ps, /proc); put one value per line in the environment variable ${env}, or in a file given with --${flag}-file`,
      { field: `--${flag}`, fix: `${env} or --${flag}-file` },
    );
  let text = process.env[env] ?? '';
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `--${flag}-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give a file with one value per line`,
      );
    }
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function secretFlags(values: { cookie?: string[]; requestHeader?: string[]; cookieFile?: string; requestHeaderFile?: string }) {
  return {
    cookie: secretLines('cookie', values.cookie, values.cookieFile, 'CORS_COOKIES'),
    'request-header': secretLines('request-header', values.requestHeader, values.requestHeaderFile, 'CORS_REQUEST_HEADERS'),
  };
}

/** The whole run's budget by default: longer than any grading measured here takes. */
const DEFAULT_RUN_BUDGET_S = 1800;

/** `work`, or a UserError once `signal` aborts first. */
function withinBudget<T>(work: Promise<T>, signal: AbortSignal, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new UsageError(message, { field: '--timeout' }));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** On SIGINT or SIGTERM, `cleanup` runs (the browsers end, the proxy's certificate folder goes)
 *  before the process exits with 130 or 143. Returns the function that removes the handlers. */
function closeOnSignal(cleanup: () => Promise<void>): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    // Playwright may send the signal again to this process once its browsers are closed: the
    // first one decides, the rest wait for the cleanup.
    if (stopping) return;
    stopping = true;
    console.error(`cors-conformance: ${signal}: stopping the engines and removing temporary files`);
    cleanup()
      .catch(() => {})
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    // Once stopping, the handlers stay: the run's own work fails as its session closes, and
    // a signal sent again must not find the default handler.
    if (stopping) return;
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${raw}: give a whole number, 1 or more`, { field: flag });
  return n;
}

function engines(values: string[] | undefined): EngineId[] {
  if (!values?.length) return [...ENGINE_IDS];
  for (const v of values) {
    if (!(ENGINE_IDS as readonly string[]).includes(v)) throw new UsageError(`--engine ${v}: use one of ${ENGINE_IDS.join(', ')}`);
  }
  return [...new Set(values)] as EngineId[];
}

/** grade's options as commander names them (camelCase: --path-param is pathParam). */
export interface GradeValues {
  target?: string;
  policy?: string;
  engine?: string[];
  out: string;
  junit?: string;
  /** false with --no-search. */
  search: boolean;
  ca?: string;
  insecure?: boolean;
  sarif?: string;
  cookie?: string[];
  requestHeader?: string[];
  cookieFile?: string;
  requestHeaderFile?: string;
  maxOrigins?: string;
  maxEndpoints?: string;
  maxProbes?: string;
  maxScreenRequests?: string;
  timeout?: string;
  openapi?: string;
  pathParam?: string[];
  framework?: string;
}

export async function gradeCommand(values: GradeValues): Promise<number> {
  if (!values.target) throw new UsageError('--target is required: the base URL of the server to grade, e.g. http://127.0.0.1:3000');
  if (!values.policy) throw new UsageError('--policy is required: a JSON policy file (see schemas/policy.schema.json)');
  const limits = {
    maxOrigins: positiveInt('--max-origins', values.maxOrigins, POLICY_LIMITS.maxOrigins),
    maxPaths: positiveInt('--max-endpoints', values.maxEndpoints, POLICY_LIMITS.maxPaths),
  };
  const policy = loadPolicy(values.policy, limits);
  const signedIn = signedInFrom(secretFlags(values), policy);
  const params = parsePathParams(values.pathParam);
  const api = values.openapi ? await loadOpenApi(values.openapi, params, parseTarget(values.target).pathname) : null;
  const endpoints = resolveEndpoints(policy, api, params);
  if (endpoints.endpoints.length > limits.maxPaths)
    throw new UsageError(
      `${endpoints.endpoints.length} endpoints to probe${api ? ` (with --openapi ${values.openapi})` : ''}, more than the limit of ${limits.maxPaths}; each is probed in every engine, so grade the paths worth probing (a policy's own paths, or a smaller document), or raise the limit with --max-endpoints ${endpoints.endpoints.length}`,
      { field: '--max-endpoints' },
    );
  const framework = values.framework === undefined ? undefined : (frameworkId(values.framework) ?? undefined);
  if (values.framework !== undefined && !framework)
    throw new UsageError(`--framework ${values.framework}: use one of ${FRAMEWORKS.join(', ')}`, { field: '--framework' });
  const ids = engines(values.engine);
  const tls = targetTls(values.ca, values.insecure);
  let last = 0;
  const onProgress = (line: string) => {
    if (Date.now() - last > 1000) {
      last = Date.now();
      console.error(`  ${line}`);
    }
  };
  // Planned before any browser starts: a target that does not answer, or whose certificate
  // fails, is a setup error found first.
  const gradeLimits = {
    maxProbes: positiveInt('--max-probes', values.maxProbes, GRADE_LIMITS.maxProbes),
    maxScreenRequests: positiveInt('--max-screen-requests', values.maxScreenRequests, GRADE_LIMITS.maxScreenRequests),
  };
  // The whole run's budget: past it, no further probe starts, what finished is written, and
  // the exit code is 2. Before any browser starts, the plan is bounded by it too.
  const budgetS = positiveInt('--timeout', values.timeout, DEFAULT_RUN_BUDGET_S);
  const deadline = AbortSignal.timeout(budgetS * 1000);
  const plan = await withinBudget(
    planGrade({
      target: values.target,
      policy,
      endpoints,
      noSearch: !values.search,
      tls,
      signedIn,
      onProgress,
      limits: gradeLimits,
      ...(framework ? { framework } : {}),
    }),
    deadline,
    `the run's budget (--timeout ${budgetS} s) ran out while planning (the reachability check and the origin search's screen of the target); no browser ran. Raise it with --timeout, or grade with --no-search`,
  );
  // From here on a SIGINT or SIGTERM ends the engines and removes the temporary folders.
  const opening = openGradeSession(ids, browserChoiceFrom(process.env));
  const release = closeOnSignal(() => opening.then((s) => s.close()));
  console.error(`cors-conformance: starting ${ids.join(', ')} ...`);
  const session = await opening.catch((err: unknown) => {
    release();
    throw err;
  });
  try {
    const report = await gradePlanned(session, plan, { onProgress, signal: deadline });
    // The summary goes out first: a written file that breaks its schema throws (exit 2), and
    // the verdict is still on screen.
    console.log(terminalSummary(report));
    const files = writeGradeOutputs(report, values.out, {
      junit: values.junit,
      sarif: values.sarif ? { file: values.sarif, policyFile: values.policy, openapiFile: values.openapi } : undefined,
      // In GitHub Actions, the job's summary page gets the grade too.
      summary: process.env.GITHUB_STEP_SUMMARY,
    });
    console.log(`written: ${files.join(', ')}`);
    return report.verdict === 'pass' ? 0 : report.verdict === 'fail' ? 1 : 2;
  } finally {
    release();
    await session.close();
  }
}

export interface LibraryValues {
  adapter?: string;
  name?: string;
  engine?: string[];
  out: string;
}

export async function libraryCommand(values: LibraryValues): Promise<number> {
  if (!values.adapter) throw new UsageError('--adapter is required: a module exporting start(policy) => Promise<{url, stop}>');
  const adapter = await loadAdapter(values.adapter);
  const name = values.name ?? adapter.name;
  const dir = libraryDir(values.out, name);
  const result = await gradeLibrary(adapter, {
    name,
    engines: engines(values.engine),
    browsers: browserChoiceFrom(process.env),
    log: (l) => console.log(l),
    onGraded: (id, report) => writeLibraryPolicyReport(dir, id, report),
  });
  writeLibraryResult(dir, result);
  return result.conforms ? 0 : 1;
}

export function referenceCli(values: { out: string; shard?: string; repeat: string }): Promise<number> {
  // The reference run is this project's own suite: an installed package holds none of it.
  if (!existsSync(join(PACKAGE_ROOT, 'reference.config.ts')))
    throw new UserError(
      'the reference run needs a clone of cors-conformance (its suites and reference.config.ts are not in the package); run it there with npm run reference',
    );
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat ${values.repeat}: give a whole number of runs, 1 or more`);
  if (values.shard && !/^\d+\/\d+$/.test(values.shard)) throw new UsageError(`--shard ${values.shard}: write it as i/n, e.g. 1/2`);
  return referenceCommand({ out: values.out, repeat, ...(values.shard ? { shard: values.shard } : {}) });
}

export interface ExplainValues extends ExplainOptions {
  json?: boolean;
  ca?: string;
  insecure?: boolean;
  /** A folder for explanation.json and index.html. */
  out?: string;
}

export async function explainCommand(positionals: string[], values: ExplainValues): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`explain takes one URL, got ${positionals.length}: ${positionals.join(' ')}`);
  const { ca, insecure, json, out, ...args } = values;
  // The request from the flags or a capture, the server checked first (a server that does not
  // answer is a setup error, never a CORS block), then the engines: explain/run.ts.
  const x = await runExplain(
    { ...args, ...(positionals[0] ? { url: positionals[0] } : {}) },
    { tls: targetTls(ca, insecure), browsers: browserChoiceFrom(process.env) },
  );
  // Printed first, then checked: an explanation that breaks its schema is exit 2.
  const text = jsonText(x, 2);
  console.log(json ? text : explainText(x));
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'explanation.json'), `${text}\n`);
    writeFileSync(join(out, 'index.html'), explainHtml(x));
    console.error(`written: ${join(out, 'explanation.json')}, ${join(out, 'index.html')}`);
  }
  checkOutput('explain', text, 'the explanation');
  return x.works ? 0 : 1;
}

export function mergeCli(positionals: string[], values: { out?: string }): number {
  if (!values.out || positionals.length < 1) throw new UsageError('merge needs the run folders to merge and --out <dir>');
  return mergeCommand(positionals, values.out);
}

export function installCommand(values: { engine?: string[] }): number {
  const ids = values.engine?.length ? engines(values.engine) : wantedEngines(process.env.CC_ENGINES);
  return provisionEngines(ids, browserChoiceFrom(process.env), 'cors-conformance install');
}

export function initCommand(values: { target?: string; openapi?: string; pathParam?: string[]; origin?: string[] }): Promise<number> {
  return initProject(
    {
      ...(values.target ? { target: values.target } : {}),
      ...(values.openapi ? { openapi: values.openapi } : {}),
      pathParams: parsePathParams(values.pathParam),
      origins: values.origin ?? [],
      dir: process.cwd(),
    },
    (line) => console.log(`cors-conformance init: ${line}`),
  );
}
