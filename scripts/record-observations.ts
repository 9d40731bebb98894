// npm run record: records, in each real engine, the observations the replay tier plays back
// (tests/replay/), into tests/fixtures/recorded/<engine>/:
//  - each grading of tests/replay/scenarios.ts, as grade() saw it through the engine's pages
//    and the proxy (<scenario>.json: page results, console lines, exchanges, by probe);
//  - a small reference run's journal (reference.jsonl), for the shard-merging test.
// Tokens, times and Date headers are taken out, so a new recording diffs against the last one
// probe by probe; the secrets of the scenarios are checked to be absent from every file.
//   tsx scripts/record-observations.ts [scenario-id-prefix ...]   (engines: CC_ENGINES)
// Run it when the battery, the probe page or an engine changes: the replay tests say so when
// a probe they grade is not in the recordings.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserChoiceFrom } from '../engines/index.ts';
import { wantedEngines } from '../engines/selection.ts';
import { planGrade } from '../grade/plan.ts';
import { gradePlanned } from '../grade/run.ts';
import type { GradeReport } from '../grade/types.ts';
import type { EngineId } from '../model/results.ts';
import { openGradeSession } from '../pipeline/session.ts';
import { recordingFile, recordingSession, stablePlan, writeRecording } from '../tests/replay/recording.ts';
import type { SearchPlan } from '../grade/search/search.ts';
import { SCENARIOS, SECRETS } from '../tests/replay/scenarios.ts';
import { REFERENCE_SUBSET, stableJournal } from '../tests/replay/journal.ts';

const engines = wantedEngines(process.env.CC_ENGINES);
const browsers = browserChoiceFrom(process.env);
const prefixes = process.argv.slice(2);
const wanted = (id: string) => !prefixes.length || prefixes.some((p) => id.startsWith(p));

function assertNoSecrets(file: string): void {
  const text = readFileSync(file, 'utf8');
  const found = SECRETS.filter((s) => text.includes(s));
  if (found.length) throw new Error(`${file} holds a secret value (${found.length} of them): the redaction failed; nothing here may be committed`);
}

/** A reference run of the subset in one engine, as a user starts it; its journal, made stable. */
function recordReference(engine: EngineId): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'cc-record-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/cors-conformance.mjs', 'reference', '--out', out], {
      env: { ...process.env, CI: '', CC_CASES: REFERENCE_SUBSET, CC_ENGINES: engine },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`the reference run of ${REFERENCE_SUBSET} in ${engine} exited ${code}`);
        const dir = join(out, 'journal');
        const text = readdirSync(dir)
          .map((f) => readFileSync(join(dir, f), 'utf8'))
          .join('');
        const file = recordingFile(engine, 'reference').replace(/\.json$/, '.jsonl');
        writeFileSync(file, stableJournal(text));
        assertNoSecrets(file);
        resolve(file);
      } catch (err) {
        reject(err);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}

const scenarios = SCENARIOS.filter((x) => wanted(x.id));

/** Each wanted scenario graded in `engine` through a recording session, and written out. */
async function recordScenarios(engine: EngineId): Promise<void> {
  const session = recordingSession(await openGradeSession([engine], browsers));
  try {
    for (const s of scenarios) {
      const target = await s.start();
      const started = performance.now();
      let report: GradeReport;
      let search: SearchPlan | null = null;
      try {
        const plan = await planGrade({ target: target.url, ...s.options });
        if (plan.search?.summary.errors)
          throw new Error(`${engine}: ${s.id}: the screen could not reach the target for ${plan.search.summary.errors} candidates; record again`);
        search = plan.search ? stablePlan(plan.search, target.url) : null;
        report = await gradePlanned(session, plan);
      } finally {
        await target.stop();
      }
      const [taken] = session.take(s.id);
      if (!taken) throw new Error(`${engine}: ${s.id}: nothing was recorded`);
      const recording = { ...taken, search };
      // Every probe graded is in the recording, or on a page the recording says did not open there.
      const lost = report.probes.filter((p) => {
        const page = recording.pages[p.pageOrigin]?.open;
        return !recording.probes[p.id] && !(page && ('error' in page || page.pageOrigin !== p.pageOrigin));
      });
      if (lost.length) throw new Error(`${engine}: ${s.id}: ${lost.length} probes graded but not recorded, e.g. ${lost[0]?.id}`);
      const verdict = `${report.verdict}, ${report.probes.length} probes, ${report.findings.length} findings${report.errors.length ? `, ${report.errors.length} errors` : ''}`;
      const file = writeRecording(recording);
      assertNoSecrets(file);
      console.log(`${engine} ${s.id}: ${verdict} (${((performance.now() - started) / 1000).toFixed(1)} s) → ${file}`);
    }
  } finally {
    await session.close();
  }
}

for (const engine of engines) {
  if (scenarios.length) await recordScenarios(engine);
  if (wanted('reference')) console.log(`${engine} reference: ${await recordReference(engine)}`);
}
