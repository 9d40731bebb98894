// Grading your own server through Playwright Test:
//   CORS_TARGET=http://127.0.0.1:3000 CORS_POLICY=cors-policy.json npx playwright test
// with, as the CLI's flags, one value per line: CORS_OPENAPI (a document), CORS_PATH_PARAMS
// (name=value), CORS_COOKIES (name=value, the signed-in session) and CORS_REQUEST_HEADERS
// ('Name: value'); the last two are secrets and are redacted wherever the grade is written.
// The same gate a team runs in its own suite (kit/gate.ts, `corsGate()`): the server is graded
// once per engine, then every probe is its own test, so Playwright's reporters (list, html,
// junit) show the whole grade: the root causes first, every intended use, every attack of the
// fixed battery, and every origin the search flagged for the browsers to confirm.
import { corsGate } from '../../kit/gate.ts';

if (!process.env.CORS_TARGET || !process.env.CORS_POLICY) {
  throw new Error('grading needs both CORS_TARGET (the base URL of your server) and CORS_POLICY (a JSON policy file; see schemas/policy.schema.json)');
}
await corsGate();
