// cors-conformance command line.
//   grade   --target <url> --policy <file> [--openapi <file>] [--path-param name=value]... [--engine <id>]...
//           [--out <dir>] [--junit <file>] [--no-search] [--cookie name=value]... [--request-header 'Name: value']...
//   library --adapter <module> [--name <name>] [--engine <id>]... [--out <dir>]
//   reference [--out <dir>] [--shard i/n] [--repeat N]
//   merge <dir>... --out <dir>
//   explain <url> --origin <origin> [--method M] [--header 'Name: value']... [--body <text>]
//           [--credentials omit|same-origin|include] [--engine <id>]... [--json]
// Exit codes: 0 the server conforms, 1 it does not, 2 usage, policy or setup error, or a written
// output that breaks its schema (a bug in this tool; the file is written all the same).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type TargetTls, VERIFY_TLS } from '../model/wire.ts';
import { ENGINE_IDS, type EngineId } from '../model/results.ts';
import { browserChoiceFrom } from '../engines/index.ts';
import { loadPolicy, POLICY_LIMITS } from '../grade/input/policy.ts';
import { parsePathParams, resolveEndpoints } from '../grade/input/endpoints.ts';
import { loadOpenApi } from '../grade/input/openapi.ts';
import { gradePlanned } from '../grade/run.ts';
import { GRADE_LIMITS, planGrade } from '../grade/plan.ts';
import { openGradeSession } from '../pipeline/session.ts';
import { checkTargetAnswers, parseTarget } from '../pipeline/target.ts';
import { writeGradeOutputs } from '../outputs/grade.ts';
import { explainText, terminalSummary } from '../outputs/terminal.ts';
import { gradeLibrary, loadAdapter } from '../grade/library.ts';
import { libraryDir, writeLibraryPolicyReport, writeLibraryResult } from '../outputs/library.ts';
import { signedInFrom } from '../grade/input/signed-in.ts';
import { mergeCommand, referenceCommand } from './reference.ts';
import { explain } from '../explain/explain.ts';
import { parseExplainArgs } from '../explain/request.ts';
import { checkOutput } from '../outputs/json.ts';
import { jsonText } from '../outputs/text.ts';
import { UserError, type UserErrorDetails } from '../model/errors.ts';

const USAGE = `usage:
  cors-conformance grade --target <url> --policy <file> [--engine chromium|firefox|webkit]... [--out <dir>] [--junit <file>] [--no-search]
                         [--ca <file.pem> | --insecure] [--sarif <file>] [--cookie-file <file>] [--request-header-file <file>]
                         [--openapi <file> [--path-param name=value]...] [--timeout <s>] [--max-origins N] [--max-endpoints N]
                         [--max-probes N] [--max-screen-requests N]
      --max-origins, --max-endpoints: the largest policy graded (default 100 origins, 500 endpoints)
      --max-probes, --max-screen-requests: the most probes per engine (5000) and search requests to the target (100000)
      --timeout <s>: the whole run's budget (default 1800); past it the run ends with exit 2 and writes what finished
      --no-search: the fixed battery alone, without the origin search (faster, finds less)
      --openapi <file>: an OpenAPI 3.0 or 3.1 document (JSON or YAML) gives more paths, their methods and header parameters
      --path-param name=value: fills {name} in paths (repeatable); wins over the document's examples
      https targets: certificates are verified; --ca trusts a private CA, --insecure checks none
      --sarif <file>: SARIF 2.1.0 for code scanning; with GITHUB_STEP_SUMMARY set, a Markdown summary goes there
      a signed-in user's session cookies (name=value), put into each browser's jar for the target, and the
      values the allowed origins send for headers the policy lists ('Name: value'), one per line, in
      CORS_COOKIES and CORS_REQUEST_HEADERS or in the files --cookie-file and --request-header-file;
      never on the command line, where every user of the machine sees them; redacted in every log and report
  cors-conformance library --adapter <module> [--name <name>] [--engine ...]... [--out <dir>]
  cors-conformance reference [--out <dir>] [--shard i/n] [--repeat N]   (engines: CC_ENGINES)
  cors-conformance merge <dir>... --out <dir>
  cors-conformance explain <url> --origin <origin> [--method M] [--header 'Name: value']... [--body <text>]
                           [--credentials omit|same-origin|include] [--engine ...]... [--json] [--ca <file.pem> | --insecure]

exit codes: 0 conforms (explain: works in every engine), 1 does not (explain: blocked in one or more), 2 usage, policy or setup error,
            or an output that breaks its schema (a bug in cors-conformance)`;

class UsageError extends UserError {
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

function secretFlags(values: { cookie?: string[]; 'request-header'?: string[]; 'cookie-file'?: string; 'request-header-file'?: string }) {
  return {
    cookie: secretLines('cookie', values.cookie, values['cookie-file'], 'CORS_COOKIES'),
    'request-header': secretLines('request-header', values['request-header'], values['request-header-file'], 'CORS_REQUEST_HEADERS'),
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'grade') {
    const { values } = parseArgs({
      args: rest,
      options: {
        target: { type: 'string' },
        policy: { type: 'string' },
        engine: { type: 'string', multiple: true },
        out: { type: 'string', default: 'reports/grade' },
        junit: { type: 'string' },
        'no-search': { type: 'boolean', default: false },
        ca: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        sarif: { type: 'string' },
        cookie: { type: 'string', multiple: true },
        'request-header': { type: 'string', multiple: true },
        'cookie-file': { type: 'string' },
        'request-header-file': { type: 'string' },
        'max-origins': { type: 'string' },
        'max-endpoints': { type: 'string' },
        'max-probes': { type: 'string' },
        'max-screen-requests': { type: 'string' },
        timeout: { type: 'string' },
        openapi: { type: 'string' },
        'path-param': { type: 'string', multiple: true },
      },
      strict: true,
    });
    if (!values.target) throw new UsageError('--target is required: the base URL of the server to grade, e.g. http://127.0.0.1:3000');
    if (!values.policy) throw new UsageError('--policy is required: a JSON policy file (see schemas/policy.schema.json)');
    const limits = {
      maxOrigins: positiveInt('--max-origins', values['max-origins'], POLICY_LIMITS.maxOrigins),
      maxPaths: positiveInt('--max-endpoints', values['max-endpoints'], POLICY_LIMITS.maxPaths),
    };
    const policy = loadPolicy(values.policy, limits);
    const signedIn = signedInFrom(secretFlags(values), policy);
    const params = parsePathParams(values['path-param']);
    const api = values.openapi ? await loadOpenApi(values.openapi, params, parseTarget(values.target).pathname) : null;
    const endpoints = resolveEndpoints(policy, api, params);
    if (endpoints.endpoints.length > limits.maxPaths)
      throw new UsageError(
        `${endpoints.endpoints.length} endpoints to probe${api ? ` (with --openapi ${values.openapi})` : ''}, more than the limit of ${limits.maxPaths}; each is probed in every engine, so grade the paths worth probing (a policy's own paths, or a smaller document), or raise the limit with --max-endpoints ${endpoints.endpoints.length}`,
        { field: '--max-endpoints' },
      );
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
      maxProbes: positiveInt('--max-probes', values['max-probes'], GRADE_LIMITS.maxProbes),
      maxScreenRequests: positiveInt('--max-screen-requests', values['max-screen-requests'], GRADE_LIMITS.maxScreenRequests),
    };
    // The whole run's budget: past it, no further probe starts, what finished is written, and
    // the exit code is 2. Before any browser starts, the plan is bounded by it too.
    const budgetS = positiveInt('--timeout', values.timeout, DEFAULT_RUN_BUDGET_S);
    const deadline = AbortSignal.timeout(budgetS * 1000);
    const plan = await withinBudget(
      planGrade({ target: values.target, policy, endpoints, noSearch: values['no-search'], tls, signedIn, onProgress, limits: gradeLimits }),
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
  if (command === 'library') {
    const { values } = parseArgs({
      args: rest,
      options: {
        adapter: { type: 'string' },
        name: { type: 'string' },
        engine: { type: 'string', multiple: true },
        out: { type: 'string', default: 'reports/library' },
      },
      strict: true,
    });
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
  if (command === 'reference') {
    const { values } = parseArgs({
      args: rest,
      options: { out: { type: 'string', default: 'reports/latest' }, shard: { type: 'string' }, repeat: { type: 'string', default: '1' } },
      strict: true,
    });
    const repeat = Number(values.repeat);
    if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat ${values.repeat}: give a whole number of runs, 1 or more`);
    if (values.shard && !/^\d+\/\d+$/.test(values.shard)) throw new UsageError(`--shard ${values.shard}: write it as i/n, e.g. 1/2`);
    return referenceCommand({ out: values.out, repeat, ...(values.shard ? { shard: values.shard } : {}) });
  }
  if (command === 'explain') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        origin: { type: 'string' },
        method: { type: 'string' },
        header: { type: 'string', multiple: true },
        body: { type: 'string' },
        credentials: { type: 'string' },
        engine: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        ca: { type: 'string' },
        insecure: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) throw new UsageError(`explain takes one URL, got ${positionals.length}: ${positionals.join(' ')}`);
    const { ca, insecure, json, ...args } = values;
    const req = parseExplainArgs({ ...args, ...(positionals[0] ? { url: positionals[0] } : {}) });
    const tls = targetTls(ca, insecure);
    // A server that does not answer, or whose certificate fails, is a setup error, never a CORS block.
    await checkTargetAnswers(new URL(req.url.origin), req.url.pathname + req.url.search, tls);
    const session = await openGradeSession(req.engines, browserChoiceFrom(process.env));
    try {
      const x = await explain(session, req, { tls });
      // Printed first, then checked: an explanation that breaks its schema is exit 2.
      const text = jsonText(x, 2);
      console.log(json ? text : explainText(x));
      checkOutput('explain', text, 'the explanation');
      return x.works ? 0 : 1;
    } finally {
      await session.close();
    }
  }
  if (command === 'merge') {
    const { values, positionals } = parseArgs({ args: rest, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
    if (!values.out || positionals.length < 1) throw new UsageError('merge needs the run folders to merge and --out <dir>');
    return mergeCommand(positionals, values.out);
  }
  throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
}

/** Once the command is done, the process ends within this even if a hostile target still holds
 *  a socket open (every exchange has its own budget; this is the last word). */
const EXIT_GRACE_MS = 10_000;

main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UserError) {
        console.error(`cors-conformance: ${err.message}${err.showUsage ? `\n\n${USAGE}` : ''}`);
        process.exitCode = err.exitCode;
        return;
      }
      if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`cors-conformance: ${err.message}\n\n${USAGE}`);
      else console.error('cors-conformance: internal error (a bug in cors-conformance, not a verdict on the target):', err);
      process.exitCode = 2;
    },
  )
  .finally(() => setTimeout(() => process.exit(), EXIT_GRACE_MS).unref());
