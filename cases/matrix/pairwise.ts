// A deterministic all-pairs (strength 2) covering-array generator in the IPOG style
// (Lei & Tai, "In-Parameter-Order"): seed rows, then one factor at a time, first widen every
// row with the value that covers the most new pairs, then add rows for the pairs still
// missing. No randomness: ties go to the least-used value, then to the earlier value, so
// the same factors give the same rows in the same order.
//
// The seed is how the matrix keeps the dimensions that decide outcomes exhaustive: the
// caller passes their full product as seed rows, and only the remaining factors are pairwise.

export interface Factor {
  name: string;
  /** Labels; each becomes part of a case id, so they are short and contain no `/`. */
  values: readonly string[];
}

export type Assignment = Record<string, string>;

export interface CoverOptions {
  /** Rows that already assign some factors (e.g. their full product); kept first, in order. */
  seed?: readonly Assignment[];
  /**
   * Constraint on a partial row: false when the assigned values can never go together
   * (e.g. an https page and an http target). Must be true for every subset of a valid row.
   */
  allowed?: (partial: Readonly<Assignment>) => boolean;
}

type Partial = Record<string, string | undefined>;

function defined(row: Partial): Assignment {
  const out: Assignment = {};
  for (const [k, v] of Object.entries(row)) if (v !== undefined) out[k] = v;
  return out;
}

/** The full cartesian product, in order (the first factor varies slowest), minus disallowed rows. */
export function product(factors: readonly Factor[], allowed: (row: Readonly<Assignment>) => boolean = () => true): Assignment[] {
  let rows: Assignment[] = [{}];
  for (const f of factors) {
    const next: Assignment[] = [];
    for (const r of rows) {
      for (const v of f.values) {
        const candidate = { ...r, [f.name]: v };
        if (allowed(candidate)) next.push(candidate);
      }
    }
    rows = next;
  }
  return rows;
}

const pairKey = (a: string, va: string, b: string, vb: string): string => `${a}\u0000${va}\u0001${b}\u0000${vb}`;

/**
 * Rows assigning every factor such that every allowed pair of values of two different factors
 * appears in at least one row. Factors already assigned by the seed rows are not re-paired
 * among themselves (the seed is trusted to cover them, e.g. as a full product).
 */
export function allPairs(factors: readonly Factor[], options: CoverOptions = {}): Assignment[] {
  const allowed = options.allowed ?? (() => true);
  const names = factors.map((f) => f.name);
  if (new Set(names).size !== names.length) throw new Error(`pairwise: factor names repeat: ${names.join(', ')}`);
  for (const f of factors) {
    if (f.values.length === 0) throw new Error(`pairwise: factor ${f.name} has no values`);
    if (new Set(f.values).size !== f.values.length) throw new Error(`pairwise: factor ${f.name} repeats a value`);
  }
  const seeded = new Set(options.seed && options.seed.length > 0 ? Object.keys(options.seed[0] ?? {}) : []);
  for (const s of seeded) if (!names.includes(s)) throw new Error(`pairwise: seed assigns ${s}, which is not a factor`);
  // Seeded factors first (in the caller's order), then the rest.
  const order = [...factors.filter((f) => seeded.has(f.name)), ...factors.filter((f) => !seeded.has(f.name))];

  let rows: Partial[];
  let start: number;
  if (seeded.size > 0) {
    rows = (options.seed ?? []).map((r) => ({ ...r }));
    start = seeded.size;
  } else {
    const first = order.slice(0, Math.min(2, order.length));
    rows = product(first, allowed);
    start = first.length;
  }
  const use = new Map<string, number>();
  const bump = (f: string, v: string): void => void use.set(`${f}=${v}`, (use.get(`${f}=${v}`) ?? 0) + 1);
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (v !== undefined) bump(k, v);

  for (let i = start; i < order.length; i++) {
    const f = order[i] as Factor;
    const earlier = order.slice(0, i);
    // The pairs this factor must form with every earlier factor.
    const missing = new Set<string>();
    const missingList: Array<[string, string, string]> = [];
    for (const e of earlier) {
      for (const ve of e.values) {
        for (const vf of f.values) {
          if (!allowed({ [e.name]: ve, [f.name]: vf })) continue;
          const k = pairKey(e.name, ve, f.name, vf);
          missing.add(k);
          missingList.push([e.name, ve, vf]);
        }
      }
    }
    const newPairs = (row: Partial, vf: string): string[] => {
      const out: string[] = [];
      for (const e of earlier) {
        const ve = row[e.name];
        if (ve === undefined) continue;
        const k = pairKey(e.name, ve, f.name, vf);
        if (missing.has(k)) out.push(k);
      }
      return out;
    };

    // Horizontal growth.
    for (const row of rows) {
      let best: string | undefined;
      let bestGain = -1;
      let bestUse = Number.POSITIVE_INFINITY;
      for (const vf of f.values) {
        if (!allowed(defined({ ...row, [f.name]: vf }))) continue;
        const gain = newPairs(row, vf).length;
        const used = use.get(`${f.name}=${vf}`) ?? 0;
        if (gain > bestGain || (gain === bestGain && used < bestUse)) {
          best = vf;
          bestGain = gain;
          bestUse = used;
        }
      }
      if (best === undefined) continue; // left open; filled in vertical growth or at the end
      for (const k of newPairs(row, best)) missing.delete(k);
      row[f.name] = best;
      bump(f.name, best);
    }

    // Vertical growth: reuse a row whose open cells can take the pair, else add one.
    for (const [en, ve, vf] of missingList) {
      const k = pairKey(en, ve, f.name, vf);
      if (!missing.has(k)) continue;
      let placed = false;
      for (const row of rows) {
        const rf = row[f.name];
        const re = row[en];
        if ((rf !== undefined && rf !== vf) || (re !== undefined && re !== ve)) continue;
        if (rf === vf && re === ve) {
          placed = true;
          break;
        }
        const candidate = { ...row, [f.name]: vf, [en]: ve };
        if (!allowed(defined(candidate))) continue;
        if (rf === undefined) bump(f.name, vf);
        if (re === undefined) bump(en, ve);
        row[f.name] = vf;
        row[en] = ve;
        for (const k2 of newPairs(row, vf)) missing.delete(k2);
        placed = true;
        break;
      }
      if (!placed) {
        const row: Partial = { [en]: ve, [f.name]: vf };
        bump(en, ve);
        bump(f.name, vf);
        rows.push(row);
      }
      missing.delete(k);
    }
  }

  // Open cells: the least-used value the constraints allow.
  return rows.map((row) => {
    for (const f of order) {
      if (row[f.name] !== undefined) continue;
      const candidates = f.values
        .filter((v) => allowed(defined({ ...row, [f.name]: v })))
        .sort((a, b) => (use.get(`${f.name}=${a}`) ?? 0) - (use.get(`${f.name}=${b}`) ?? 0));
      const v = candidates[0];
      if (v === undefined) throw new Error(`pairwise: no value of ${f.name} fits the row ${JSON.stringify(defined(row))}`);
      row[f.name] = v;
      bump(f.name, v);
    }
    return defined(row);
  });
}

/** Pairs of values (of two different factors) that no row covers; [] for a covering array. */
export function uncoveredPairs(factors: readonly Factor[], rows: readonly Assignment[], allowed: (p: Readonly<Assignment>) => boolean = () => true): string[] {
  const seen = new Set<string>();
  for (const r of rows) {
    for (let a = 0; a < factors.length; a++) {
      for (let b = a + 1; b < factors.length; b++) {
        const fa = factors[a] as Factor;
        const fb = factors[b] as Factor;
        seen.add(pairKey(fa.name, r[fa.name] ?? '', fb.name, r[fb.name] ?? ''));
      }
    }
  }
  const out: string[] = [];
  for (let a = 0; a < factors.length; a++) {
    for (let b = a + 1; b < factors.length; b++) {
      const fa = factors[a] as Factor;
      const fb = factors[b] as Factor;
      for (const va of fa.values) {
        for (const vb of fb.values) {
          if (!allowed({ [fa.name]: va, [fb.name]: vb })) continue;
          if (!seen.has(pairKey(fa.name, va, fb.name, vb))) out.push(`${fa.name}=${va} & ${fb.name}=${vb}`);
        }
      }
    }
  }
  return out;
}
