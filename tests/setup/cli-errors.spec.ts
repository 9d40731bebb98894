// The command line's usage, policy, input and setup errors: exit code 2 and a message that
// names the fix, before any browser starts (the target is checked, the flags, the policy and
// the OpenAPI document are read first). No engine is launched by any of these runs.
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { CLI, run } from '../grade/cli-run.ts';

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-errors-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('grade: a policy error names the field', async () => {
  const bad = join(dir, 'bad-policy.json');
  writeFileSync(bad, JSON.stringify({ origins: ['https://App.example.com/'], paths: ['/api'] }));
  const policy = await run([...CLI, 'grade', '--target', 'http://127.0.0.1:9', '--policy', bad]);
  expect(policy.code).toBe(2);
  expect(policy.stderr).toContain('origins[0]');
});

test('grade: a missing --target is a usage error', async () => {
  const usage = await run([...CLI, 'grade', '--policy', 'examples/cors-policy.json']);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain('--target is required');
});

test('grade: the session inputs are checked before any browser starts, and never repeat the value', async () => {
  const target = ['--target', 'http://127.0.0.1:9', '--policy', 'examples/cors-policy.json'];
  // A secret on the command line is refused: every user of the machine could read it in ps.
  const argv = await run([...CLI, 'grade', ...target, '--cookie', 'sid=v4lue-not-shown']);
  expect(argv.code).toBe(2);
  expect(argv.stderr).toContain('--cookie: a secret on the command line is visible to every user of this machine');
  expect(argv.stderr).toContain('CORS_COOKIES');
  expect(argv.stderr).not.toContain('v4lue-not-shown');
  const cookie = await run([...CLI, 'grade', ...target], { CORS_COOKIES: 'sid=ok\nv4lue-not-shown' });
  expect(cookie.code).toBe(2);
  expect(cookie.stderr).toContain(`cookie #2 has no "=": write it as name=value, e.g. sid=0123abcd`);
  expect(cookie.stderr).toContain('usage:');
  expect(cookie.stderr).not.toContain('v4lue-not-shown');
  const header = await run([...CLI, 'grade', ...target], { CORS_REQUEST_HEADERS: 'Authorization: Bearer v4lue-not-shown' });
  expect(header.code).toBe(2);
  expect(header.stderr).toContain(`request header Authorization: the policy's requestHeaders does not list Authorization (it lists Content-Type, X-Api-Key)`);
  expect(header.stderr).not.toContain('v4lue-not-shown');
});

test('grade: a target that is down exits 2 before any engine starts', async () => {
  const target = `http://127.0.0.1:${await getPort({ host: '127.0.0.1' })}`;
  const down = await run([...CLI, 'grade', '--target', target, '--policy', 'examples/cors-policy.json', '--engine', 'chromium']);
  expect(down.code).toBe(2);
  expect(down.stderr).toMatch(/did not answer \(ECONNREFUSED\); start the server, or fix --target/);
});

test('grade --openapi: a path parameter without a value, a malformed --path-param and an invalid document exit 2 naming the fix', async () => {
  const target = ['--target', 'http://127.0.0.1:9'];
  const api = ['--policy', 'examples/cors-policy-paths.json', '--openapi', 'examples/openapi.yaml'];
  const missing = await run([...CLI, 'grade', ...target, ...api]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain(
    'cors-conformance: --openapi examples/openapi.yaml: GET /admin/reports/{reportId}: no value for the path parameter "reportId" (the document gives it no example, examples, schema example, default or enum); give one with --path-param reportId=<value>',
  );
  const form = await run([...CLI, 'grade', ...target, ...api, '--path-param', 'reportId']);
  expect(form.code).toBe(2);
  expect(form.stderr).toContain('--path-param reportId: write name=value, e.g. --path-param id=42');
  const bad = join(dir, 'bad-openapi.yaml');
  writeFileSync(bad, 'openapi: 3.0.3\ninfo: { title: t }\npaths: {}\n');
  const invalid = await run([...CLI, 'grade', ...target, '--policy', 'examples/cors-policy-paths.json', '--openapi', bad]);
  expect(invalid.code).toBe(2);
  expect(invalid.stderr).toContain(`--openapi ${bad}: not a valid OpenAPI document`);
});
