// Grading a real server, in three stages: plan (grade/plan.ts: the probes derived from the
// policy and the origin search, all decided before a browser starts), run
// (grade/probes/run-probes.ts: the probes in real engines, from virtual attacker and allowed
// origins, against the target through the proxy) and judge (grade/judge/report.ts: findings
// from what the browsers could read, their causes, the report). The CLI, library mode and the
// Playwright gate all grade through these.
import type { GradeSession } from '../pipeline/session.ts';
import { judgeGrade } from './judge/report.ts';
import { type GradePlan, type PlanOptions, planGrade } from './plan.ts';
import { type RunOptions, runPlan } from './probes/run-probes.ts';
import type { GradeReport } from './types.ts';

export type GradeOptions = PlanOptions & RunOptions;

export async function grade(session: GradeSession, opts: GradeOptions): Promise<GradeReport> {
  return gradePlanned(session, await planGrade(opts), opts);
}

/** Runs and judges a plan made already: the CLI plans before it starts the engines, the gate in each of its processes. */
export async function gradePlanned(session: GradeSession, plan: GradePlan, opts: RunOptions = {}): Promise<GradeReport> {
  return judgeGrade(plan, await runPlan(session, plan, opts));
}
