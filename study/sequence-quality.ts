// Quality beside energy in the inter-token study (issue 18): a stated quality floor, the rows below it,
// and energies compared at matched quality rather than at a fixed number of training steps.
//
// The floor is the zero-mixer ablation of the same run (workloads/sequence/blocks/zero.ts: the same LM,
// same training budget and seed, with no information passing between tokens), moved by a stated margin:
//   text    a family meets the floor when  bits/char ≤ zero's bits/char − bpcMargin
//   recall  at each evaluated L,           accuracy  ≥ zero's accuracy at L + recallMargin
// A family below the floor on any metric it was evaluated on is flagged, with each shortfall named;
// its energy per token is that of a model that has not learned to use its context, and says nothing
// about a trained one. The zero mixer itself is flagged as the ablation.
//
// Matched quality, per profile and context length L: the families that meet the floor, ordered by energy
// per token, kept where each predicts text better than every cheaper one (the Pareto front of energy
// against bits per character). "The cheapest family reaching b bits/char" is the first entry of the
// front with bits/char ≤ b.
export interface QualityOf {
  readonly family: string;
  readonly bitsPerChar: number | null;
  readonly recall: readonly { readonly L: number; readonly accuracy: number }[];
}

export interface QualityFloor {
  /** The family the floor is measured from. */
  readonly reference: string;
  readonly bpcMargin: number;
  readonly recallMargin: number;
  /** The largest bits/char that meets the floor (null: no text task). */
  readonly bitsPerChar: number | null;
  /** Per recall length, the smallest accuracy that meets the floor. */
  readonly recall: readonly { readonly L: number; readonly accuracy: number }[];
}

export const ZERO_REFERENCE = 'zero';

/** The floor from the reference family's quality; null when the reference is not among `families`. */
export function qualityFloor(families: readonly QualityOf[], bpcMargin: number, recallMargin: number, reference = ZERO_REFERENCE): QualityFloor | null {
  const ref = families.find((f) => f.family === reference);
  if (!ref) return null;
  return {
    reference,
    bpcMargin,
    recallMargin,
    bitsPerChar: ref.bitsPerChar === null ? null : ref.bitsPerChar - bpcMargin,
    recall: ref.recall.map((r) => ({ L: r.L, accuracy: r.accuracy + recallMargin })),
  };
}

/** Why `f` is below the floor: one line per shortfall (empty: it meets the floor). */
export function belowFloor(f: QualityOf, floor: QualityFloor): string[] {
  if (f.family === floor.reference) return [`the zero-mixer ablation (the floor's reference)`];
  const out: string[] = [];
  if (f.bitsPerChar !== null && floor.bitsPerChar !== null && !(f.bitsPerChar <= floor.bitsPerChar)) out.push(`bits/char ${f.bitsPerChar.toFixed(3)} > floor ${floor.bitsPerChar.toFixed(3)}`);
  for (const r of f.recall) {
    const min = floor.recall.find((x) => x.L === r.L);
    if (min && !(r.accuracy >= min.accuracy)) out.push(`recall at L=${r.L} ${(100 * r.accuracy).toFixed(1)}% < floor ${(100 * min.accuracy).toFixed(1)}%`);
  }
  return out;
}

export interface FrontEntry {
  readonly family: string;
  readonly bitsPerChar: number;
  readonly energyJ: number;
}

/**
 * The Pareto front of energy per token against bits per character among `candidates` (families that
 * meet the floor, with their energy under one profile at one L): ascending energy, each entry with lower
 * bits/char than every cheaper one. Ties in energy go to the better predictor, then the family name.
 */
export function paretoFront(candidates: readonly FrontEntry[]): FrontEntry[] {
  const sorted = [...candidates].sort((a, b) => a.energyJ - b.energyJ || a.bitsPerChar - b.bitsPerChar || (a.family < b.family ? -1 : 1));
  const front: FrontEntry[] = [];
  for (const c of sorted) if (front.length === 0 || c.bitsPerChar < front[front.length - 1].bitsPerChar) front.push(c);
  return front;
}

/** The cheapest entry of a front with bits/char ≤ target (null: none reaches it). */
export function cheapestReaching(front: readonly FrontEntry[], targetBitsPerChar: number): FrontEntry | null {
  return front.find((e) => e.bitsPerChar <= targetBitsPerChar) ?? null;
}
