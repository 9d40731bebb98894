// The command line's conventions, without running a command: -h/--help on the tool and on
// every command, --version, and an unknown command or option that names the nearest valid
// one and exits 2. Usage errors found before any browser starts are here too.
import { test, expect } from '@playwright/test';
import { runCli } from '../../cli/program.ts';
import { PACKAGE_VERSION } from '../../model/package.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const COMMANDS = ['grade', 'install', 'init', 'library', 'reference', 'merge', 'explain'];

test('--help and -h print the usage, every command and the exit codes, and exit 0', async () => {
  for (const flag of ['--help', '-h']) {
    const r = await cli(flag);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^usage: cors-conformance \[options\] \[command\]/);
    for (const c of COMMANDS) expect(r.out).toContain(`\n  ${c} `);
    expect(r.out).toContain('exit codes: 0 conforms');
  }
});

test('every command answers -h, --help and `help <command>` with its own options, and exits 0', async () => {
  const someOption: Record<string, string> = {
    grade: '--target <url>',
    install: '--engine <id>',
    init: '--openapi <file>',
    library: '--adapter <module>',
    reference: '--shard <i/n>',
    merge: '--out <dir>',
    explain: '--origin <origin>',
  };
  for (const c of COMMANDS) {
    for (const argv of [
      [c, '-h'],
      [c, '--help'],
      ['help', c],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toContain(`usage: cors-conformance ${c} [options]`);
      expect(r.out).toContain(someOption[c]);
    }
  }
  // The secrets never go on the command line: the help says where they go instead.
  expect((await cli('grade', '--help')).out).toContain('CORS_COOKIES and CORS_REQUEST_HEADERS');
});

test('--version prints the version of package.json and exits 0', async () => {
  const r = await cli('--version');
  expect(r.code).toBe(0);
  expect(r.out).toBe(`${PACKAGE_VERSION}\n`);
  expect(PACKAGE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
});

test('an unknown command names the nearest one and exits 2', async () => {
  const r = await cli('grde', '--target', 'http://127.0.0.1:1');
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toContain("cors-conformance: unknown command 'grde'\n(Did you mean grade?)");
  expect((await cli('explian')).err).toContain('(Did you mean explain?)');
});

test('an unknown option names the nearest one of its command and exits 2', async () => {
  const grade = await cli('grade', '--tagret', 'http://127.0.0.1:1');
  expect(grade.code).toBe(2);
  expect(grade.err).toContain("cors-conformance: unknown option '--tagret'\n(Did you mean --target?)");
  const explain = await cli('explain', 'http://127.0.0.1:1/', '--orgin', 'https://a.example');
  expect(explain.code).toBe(2);
  expect(explain.err).toContain('(Did you mean --origin?)');
  // A tool-wide flag given to a command is unknown there too, not silently ignored.
  expect((await cli('grade', '--verison')).err).toContain("unknown option '--verison'");
});

test('no command, a missing value and a missing required option are usage errors: exit 2 with the usage', async () => {
  const none = await cli();
  expect(none.code).toBe(2);
  expect(none.err).toContain('cors-conformance: no command given\n\nusage: cors-conformance');
  const missing = await cli('grade', '--target');
  expect(missing.code).toBe(2);
  expect(missing.err).toContain("option '--target <url>' argument missing");
  const required = await cli('grade', '--policy', 'examples/cors-policy.json');
  expect(required.code).toBe(2);
  expect(required.err).toContain('--target is required: the base URL of the server to grade');
  expect(required.err).toContain('usage: cors-conformance grade [options]');
  const extra = await cli('explain', 'http://127.0.0.1:1/a', 'http://127.0.0.1:1/b', '--origin', 'https://a.example');
  expect(extra.code).toBe(2);
  expect(extra.err).toContain('explain takes one URL, got 2');
});

test("grade's dashed options reach the command under their own names (commander calls them pathParam, maxOrigins, ...)", async () => {
  const base = ['grade', '--target', 'http://127.0.0.1:1', '--policy', 'examples/cors-policy.json'];
  const limit = await cli(...base, '--max-origins', '0');
  expect(limit.code).toBe(2);
  expect(limit.err).toContain('--max-origins 0: give a whole number, 1 or more');
  expect((await cli(...base, '--max-endpoints', 'x')).err).toContain('--max-endpoints x: give a whole number');
  expect((await cli(...base, '--path-param', 'noequals')).err).toContain('--path-param noequals: write name=value');
  const secret = await cli(...base, '--request-header', 'X-Api-Key: s3cret');
  expect(secret.code).toBe(2);
  expect(secret.err).toContain('--request-header: a secret on the command line is visible to every user of this machine');
  expect(secret.err).not.toContain('s3cret');
  expect((await cli(...base, '--cookie-file', '/nonexistent/cookies')).err).toContain('--cookie-file /nonexistent/cookies: cannot read it (ENOENT)');
});
