// A target that echoes a secret back encoded (percent-encoded, base64, inside Basic
// credentials or a longer token, in a Set-Cookie) gets it redacted all the same, in the log
// and in anything scrubbed from it.
import { test, expect } from '@playwright/test';
import { REDACTED, redactHeaders, scrubDeep, scrubSecrets, secretForms } from '../../servers/redact.ts';

const COOKIE = 's3ss/on+v@lue=42';
const KEY = 'k3y-Abc123-very-secret';
const SECRETS = { headers: ['X-Api-Key'], values: [COOKIE, KEY] };

const ECHOES: Array<[string, string]> = [
  ['as given', `got ${KEY}`],
  ['percent-encoded', `got ${encodeURIComponent(COOKIE)}`],
  ['percent-encoded, lower-case hex', `got ${encodeURIComponent(COOKIE).toLowerCase()}`],
  ['form-encoded', `q=${encodeURIComponent(`a ${COOKIE}`).replace(/%20/g, '+')}`],
  ['base64', `got ${Buffer.from(KEY).toString('base64')}`],
  ['base64url', `got ${Buffer.from(COOKIE).toString('base64url')}`],
  ['inside Basic credentials', `Basic ${Buffer.from(`user:${KEY}`).toString('base64')}`],
  ['inside a longer base64 token at every alignment', [0, 1, 2].map((k) => Buffer.from(`${'x'.repeat(k)}{"key":"${KEY}"}`).toString('base64')).join(' ')],
];

for (const [how, echo] of ECHOES) {
  test(`a secret echoed ${how} is redacted`, () => {
    const [[, out] = ['', '']] = redactHeaders([['X-Echo', echo]], SECRETS);
    for (const secret of [COOKIE, KEY]) {
      for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')])
        expect(out).not.toContain(form);
    }
    expect(out).toContain(REDACTED);
    // A base64 echo decodes to no trace of the secret either.
    for (const word of out.split(/[\s:]+/)) expect(Buffer.from(word, 'base64').toString('latin1')).not.toContain(KEY.slice(2, -2));
  });
}

test('a Set-Cookie echoing a secret in its name or attributes keeps neither', () => {
  const out = redactHeaders(
    [
      ['Set-Cookie', `${KEY}=1; Path=/`],
      ['Set-Cookie', `echo=${encodeURIComponent(COOKIE)}; Domain=${KEY}.example`],
    ],
    SECRETS,
  );
  expect(JSON.stringify(out)).not.toContain(KEY);
  expect(JSON.stringify(out)).not.toContain(encodeURIComponent(COOKIE));
});

test('scrubbing a report removes every form, and leaves ordinary text alone', () => {
  const report = { a: [`x ${encodeURIComponent(COOKIE)} y`], b: { c: Buffer.from(KEY).toString('base64') }, d: 'nothing secret here: /api/items 200' };
  const out = JSON.stringify(scrubDeep(report, SECRETS.values));
  expect(out).not.toContain(encodeURIComponent(COOKIE));
  expect(out).not.toContain(Buffer.from(KEY).toString('base64').slice(0, 12));
  expect(out).toContain('nothing secret here: /api/items 200');
  expect(scrubSecrets('abc', ['a'])).toBe(`${REDACTED}bc`);
  expect(secretForms('a')).toEqual(['a']);
});
