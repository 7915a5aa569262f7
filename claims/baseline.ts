// Baseline comparison: every accuracy, energy (per profile, per layer × component × operand × action ×
// level) and ledger count (per layer: compute and memory entries, activity) that moved beyond a
// relative tolerance since a baseline results.json, named precisely.
import type { ConfigurationResult, ResultsDoc } from '../reports/results.js';

export interface Change {
  /** Where: configuration / profile or layer / counter. */
  readonly what: string;
  readonly before: number | null;
  readonly after: number | null;
  /** Relative change (after − before) / |before|; null when added, removed or moved away from 0 (no finite ratio). */
  readonly relative: number | null;
}

function flatten(c: ConfigurationResult): Map<string, number> {
  const m = new Map<string, number>();
  if (c.accuracy !== null) m.set(`${c.id} / accuracy`, c.accuracy);
  for (const [k, v] of Object.entries(c.quality ?? {})) m.set(`${c.id} / quality ${k}`, v);
  for (const e of c.energy) {
    m.set(`${c.id} / ${e.profile} / total energy (J)`, e.totalJ);
    for (const i of e.items) m.set(`${c.id} / ${e.profile} / ${i.layer} / ${i.component} ${i.operand} ${i.action} @${i.level} (J)`, i.energyJ);
  }
  for (const l of c.ledger.layers) {
    for (const x of l.compute) m.set(`${c.id} / ${l.name} / ${x.op} ${x.purpose} (${x.numeric}${x.bits})`, x.count.mean);
    for (const x of l.memory) m.set(`${c.id} / ${l.name} / ${x.operand} ${x.action} (${x.bits}-bit words)`, x.count.mean);
    const { neurobench, ...activity } = l.activity;
    for (const [k, v] of Object.entries(activity)) m.set(`${c.id} / ${l.name} / activity ${k}`, v.mean);
    // NeuroBench's per-layer counts (absent in documents before schema version 4)
    for (const [k, v] of Object.entries(neurobench ?? {})) m.set(`${c.id} / ${l.name} / NeuroBench ${k}`, v.mean);
  }
  return m;
}

/** Changes beyond `tolerance` (relative; exact when 0), in the current document's order. */
export function compareToBaseline(current: ResultsDoc, baseline: ResultsDoc, tolerance: number): Change[] {
  const before = new Map<string, number>();
  for (const c of baseline.configurations) for (const [k, v] of flatten(c)) before.set(k, v);
  const after = new Map<string, number>();
  for (const c of current.configurations) for (const [k, v] of flatten(c)) after.set(k, v);
  const changes: Change[] = [];
  for (const [k, a] of after) {
    const b = before.get(k);
    if (b === undefined) {
      changes.push({ what: k, before: null, after: a, relative: null });
      continue;
    }
    if (b === 0) {
      if (a !== 0) changes.push({ what: k, before: b, after: a, relative: null }); // any move away from 0 is beyond every tolerance
      continue;
    }
    const rel = (a - b) / Math.abs(b);
    if (Math.abs(rel) > tolerance) changes.push({ what: k, before: b, after: a, relative: rel });
  }
  for (const [k, b] of before) if (!after.has(k)) changes.push({ what: k, before: b, after: null, relative: null });
  return changes;
}
