// A target that cannot be graded is a setup error before any probe, and before any browser:
// grade() checks that the target answers (and that its certificate verifies) first. The
// session here has the proxy and no engine at all, so a check that let a bad target through
// would show as a grading, not as the error.
import { test, expect } from '@playwright/test';
import { grade } from '../../grade/run.ts';
import { openGradeSession, type GradeSession } from '../../pipeline/session.ts';
import { GradeSetupError } from '../../pipeline/target.ts';
import { POLICY, TARGETS, down, hanging } from '../grade/targets.ts';

let session: GradeSession;
test.beforeAll(async () => {
  session = await openGradeSession([], { source: 'auto' });
});
test.afterAll(async () => {
  await session.close();
});

test('a target that is down is a setup error', async () => {
  const t = await down();
  const graded = grade(session, { target: t.url, policy: POLICY });
  await expect(graded).rejects.toThrow(GradeSetupError);
  await expect(graded).rejects.toThrow(/did not answer \(ECONNREFUSED\); start the server, or fix --target/);
});

test('a target that never answers is a setup error', async () => {
  const t = await hanging();
  try {
    await expect(grade(session, { target: t.url, policy: POLICY })).rejects.toThrow(
      /cannot be graded: the target sent no complete response headers within 5 s/,
    );
  } finally {
    await t.stop();
  }
});

test('a self-signed https target is a setup error unless verification is turned off', async () => {
  const t = await TARGETS.httpsSelfSigned();
  try {
    const graded = grade(session, { target: t.url, policy: POLICY });
    await expect(graded).rejects.toBeInstanceOf(GradeSetupError);
    await expect(graded).rejects.toThrow(/cannot be verified .*--ca <file\.pem>.*--insecure/);
  } finally {
    await t.stop();
  }
});

test('an https target with a private CA is a setup error without that CA', async () => {
  const t = await TARGETS.httpsPrivateCa();
  try {
    await expect(grade(session, { target: t.url, policy: POLICY })).rejects.toThrow(/cannot be verified .*--ca <file\.pem>.*--insecure/);
  } finally {
    await t.stop();
  }
});

test('a target that is not a URL, or not http(s), or has a query, is a setup error', async () => {
  await expect(grade(session, { target: 'app.example.com', policy: POLICY })).rejects.toThrow(/not a URL/);
  await expect(grade(session, { target: 'ftp://127.0.0.1/', policy: POLICY })).rejects.toThrow(/only http and https targets/);
  await expect(grade(session, { target: 'http://127.0.0.1:9/?a=1', policy: POLICY })).rejects.toThrow(/leave out the query/);
});
