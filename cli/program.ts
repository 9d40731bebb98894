// The command line's grammar, on commander: every command and option, its help, and what a
// mistake in it does. `-h`/`--help` answers on the tool and on every command, `--version`
// prints the package's version, and an unknown command or option names the nearest valid one
// (commander's suggestion) and exits 2, as every usage error does. The commands' work is in
// cli/commands.ts, loaded only when a command runs.
import { Command, CommanderError } from 'commander';
import { UserError } from '../model/errors.ts';
import { PACKAGE_VERSION } from '../model/package.ts';

/** Where the command line writes: the process's streams, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const EXIT_CODES = `
exit codes: 0 conforms (explain: works in every engine), 1 does not (explain: blocked in one or more), 2 usage, policy or setup error,
            or an output that breaks its schema (a bug in cors-conformance)`;

const SECRETS = `
a signed-in user's session cookies (name=value), put into each browser's jar for the target, and the values the allowed origins send
for headers the policy lists ('Name: value'), one per line, in CORS_COOKIES and CORS_REQUEST_HEADERS or in the files --cookie-file and
--request-header-file; never on the command line, where every user of the machine sees them; redacted in every log and report`;

/** A repeatable option's values, in the order given. */
const many = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The program, writing to `io`. `onRun` receives each command's exit code. */
export function cliProgram(io: CliOutput, onRun: (code: number) => void): Command {
  const program = new Command('cors-conformance');
  program
    .description('CORS in real Chromium, Firefox and WebKit, beside an executable model of the Fetch standard; grades your server against its CORS policy')
    .version(PACKAGE_VERSION, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .helpCommand('help [command]', "print a command's help")
    // The headings in this tool's own lowercase ("usage:", "options:"), as its messages.
    .configureHelp({ styleTitle: (title) => title.toLowerCase() })
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // commander's "error: ..." becomes this tool's "cors-conformance: ...".
      outputError: (text, write) => write(`cors-conformance: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(add --help for the options)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES);

  const engineOption = ['--engine <id>', 'chromium, firefox or webkit (repeatable; default all three)', many] as const;
  const tlsOptions = (cmd: Command) =>
    cmd
      .option('--ca <file.pem>', 'https targets: trust this private CA besides the system roots (certificates are verified)')
      .option('--insecure', 'https targets: check no certificate');

  tlsOptions(
    program
      .command('grade')
      .description('grade a server against its CORS policy in real engines (exit 0 conforms, 1 does not)')
      .option('--target <url>', 'the base URL of the server to grade, e.g. http://127.0.0.1:3000 (required)')
      .option('--policy <file>', 'the JSON policy file (schemas/policy.schema.json) (required)')
      .option(...engineOption)
      .option('--out <dir>', 'where grade.json, the HTML and Markdown go', 'reports/grade')
      .option('--junit <file>', 'JUnit XML, one test per probe')
      .option('--sarif <file>', 'SARIF 2.1.0 for code scanning; with GITHUB_STEP_SUMMARY set, a Markdown summary goes there')
      .option('--no-search', 'the fixed battery alone, without the origin search (faster, finds less)')
      .option('--openapi <file>', 'an OpenAPI 3.0 or 3.1 document (JSON or YAML) gives more paths, their methods and header parameters')
      .option('--path-param <name=value>', "fills {name} in paths (repeatable); wins over the document's examples", many)
      .option(
        '--framework <name>',
        "the causes' fix as this framework's configuration (default: the one the target's headers name): express, fastify, hono, koa, django, flask, starlette, nginx, apache, caddy, spring or aspnetcore",
      ),
  )
    .option('--cookie-file <file>', "a signed-in session's cookies, name=value, one per line (or CORS_COOKIES)")
    .option('--request-header-file <file>', "the allowed origins' request headers, 'Name: value', one per line (or CORS_REQUEST_HEADERS)")
    // Accepted only to be refused with the reason: a secret on the command line is seen by every user.
    .addOption(program.createOption('--cookie <name=value>').argParser(many).hideHelp())
    .addOption(program.createOption('--request-header <line>').argParser(many).hideHelp())
    .option('--timeout <s>', "the whole run's budget (default 1800); past it the run ends with exit 2 and writes what finished")
    .option('--max-origins <n>', 'the largest policy graded: origins (default 100)')
    .option('--max-endpoints <n>', 'the largest policy graded: endpoints (default 500)')
    .option('--max-probes <n>', 'the most probes per engine (default 5000)')
    .option('--max-screen-requests <n>', 'the most requests the origin search sends to the target (default 100000)')
    .addHelpText('after', `${SECRETS}\n${EXIT_CODES}`)
    .action(async (_opts, cmd: Command) => {
      const { gradeCommand } = await import('./commands.ts');
      onRun(await gradeCommand(cmd.opts()));
    });

  program
    .command('install')
    .description("find or install the engines (Playwright's builds, else the system's; apt-get on Debian as root); an engine that cannot be had is an error")
    .option('--engine <id>', 'chromium, firefox or webkit (repeatable; default CC_ENGINES, else all three)', many)
    .action(async (_opts, cmd: Command) => {
      const { installCommand } = await import('./commands.ts');
      onRun(installCommand(cmd.opts()));
    });

  program
    .command('init')
    .description(
      'write what the gate needs in this project, never overwriting: a draft cors-policy.json, playwright.config.ts, tests/cors.spec.ts, a GitHub workflow',
    )
    .option('--target <url>', "your server's base URL: the draft's origins and headers are what it answers today")
    .option('--openapi <file>', "an OpenAPI 3.0 or 3.1 document: the draft's paths and methods")
    .option('--path-param <name=value>', "fills {name} in the document's paths (repeatable)", many)
    .option('--origin <origin>', 'a front end of yours, tried first (repeatable)', many)
    .action(async (_opts, cmd: Command) => {
      const { initCommand } = await import('./commands.ts');
      onRun(await initCommand(cmd.opts()));
    });

  program
    .command('library')
    .description('grade a CORS library through its adapter, across the policies of cases/libraries')
    .option('--adapter <module>', 'a module exporting start(policy) => Promise<{url, stop}> (required)')
    .option('--name <name>', "the library's name in the report (default: the adapter's)")
    .option(...engineOption)
    .option('--out <dir>', 'where the results go', 'reports/library')
    .action(async (_opts, cmd: Command) => {
      const { libraryCommand } = await import('./commands.ts');
      onRun(await libraryCommand(cmd.opts()));
    });

  program
    .command('reference')
    .description('the reference run: every case in every engine (engines: CC_ENGINES); needs a clone of this repository')
    .option('--out <dir>', 'where results.json and the report go', 'reports/latest')
    .option('--shard <i/n>', 'run the i-th of n shards')
    .option('--repeat <N>', 'run the matrix N times and report what changed between runs', '1')
    .action(async (_opts, cmd: Command) => {
      const { referenceCli } = await import('./commands.ts');
      onRun(await referenceCli(cmd.opts()));
    });

  program
    .command('merge')
    .description("fold the reference run's shards into one results file and report")
    .argument('[dirs...]', 'the run folders to merge')
    .option('--out <dir>', 'where the merged run goes (required)')
    .action(async (dirs: string[], _opts, cmd: Command) => {
      const { mergeCli } = await import('./commands.ts');
      onRun(mergeCli(dirs, cmd.opts()));
    });

  tlsOptions(
    program
      .command('explain')
      .description('why one request works or is blocked, in each engine and in the spec model, and the smallest fix')
      .argument('[url]', 'the URL the page fetches')
      // More than one URL is refused with this tool's own message, naming them.
      .allowExcessArguments()
      .option('--origin <origin>', 'the origin of the page that makes the request (required)')
      .option('--method <M>', 'the request method (default GET)')
      .option('--header <line>', "a request header, 'Name: value' (repeatable)", many)
      .option('--body <text>', 'the request body')
      .option('--credentials <mode>', "omit, same-origin (fetch()'s default) or include")
      .option(...engineOption)
      .option('--from <file>', 'a captured request: DevTools\' "Copy as fetch" or "Copy as cURL" text, or a HAR file; - reads standard input')
      .option('--entry <index|url>', 'with a HAR: the entry to explain (an index from 0, or its URL)')
      .option(
        '--framework <name>',
        "the fix as this framework's configuration: express, fastify, hono, koa, django, flask, starlette, nginx, apache, caddy, spring or aspnetcore",
      )
      .option('--repro <dir>', "write a folder that replays the server's answers to a page making the request; node server.mjs in it shows the failure")
      .option('--json', 'the explanation as JSON (schemas/explain.schema.json)')
      .option('--out <dir>', 'also write explanation.json and index.html (a page with the request, each engine, the steps and the fix) there'),
  )
    .addHelpText('after', EXIT_CODES)
    .action(async (_url: string | undefined, _opts, cmd: Command) => {
      const { explainCommand } = await import('./commands.ts');
      onRun(await explainCommand(cmd.args, cmd.opts()));
    });

  return program;
}

/** Runs the command line `argv` (without node and the script); resolves with the exit code. A
 *  usage error prints its message and the command's help; a bug says it is one. Never throws. */
export async function runCli(argv: string[], io: CliOutput): Promise<number> {
  let code = 0;
  let active: Command | undefined;
  const program = cliProgram(io, (c) => {
    code = c;
  });
  program.hook('preAction', (_program, actionCommand) => {
    active = actionCommand;
  });
  try {
    if (argv.length === 0) {
      io.err(`cors-conformance: no command given\n\n${program.helpInformation()}`);
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    // commander has printed its message (and the suggestion); help and --version end with 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UserError) {
      io.err(`cors-conformance: ${err.message}${err.showUsage ? `\n\n${(active ?? program).helpInformation()}` : ''}\n`);
      return err.exitCode;
    }
    io.err(
      `cors-conformance: internal error (a bug in cors-conformance, not a verdict on the target): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 2;
  }
}
