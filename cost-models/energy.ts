// Energy breakdowns: tidy rows, one per layer × component × operand × action × level. They add up
// like a monoid: concatenating two breakdowns and merging rows with equal keys sums their energy,
// and the empty breakdown is the identity.
//
// The numeric guard: every item is made here (termsToItems, energyItem) and checked here — its count
// finite and ≥ 0, its energy per unit finite and ≥ 0, its energy finite — and every sum of items
// (addBreakdowns, totalEnergyJ) stays finite. A model asked to price something whose energy overflows
// (huge counts × huge constants) refuses (OutOfRangeError, naming the layer, the item and the constant
// where known) instead of emitting Infinity or NaN, which results.json would turn into null.
import { OutOfRangeError } from './model.js';

/**
 * `compute` and `memory` are per-op terms; `all-in` is a chip figure that already contains compute,
 * memory and routing. A layer's breakdown never holds both kinds (addBreakdowns refuses to mix them).
 */
export type Component = 'compute' | 'memory' | 'all-in';

export interface EnergyItem {
  readonly layerIndex: number;
  readonly layer: string;
  readonly component: Component;
  /** For memory: the operand (weight, input, potential …); for compute: the op kind (mac, ac, add …). */
  readonly operand: string;
  /** For memory: read / write; for compute: the op's purpose (synaptic, bias, threshold, addressing …). */
  readonly action: string;
  /** Where it happens: the memory ('sram', 'fifo', 'dram' …) or the unit ('alu'). */
  readonly level: string;
  /** How many accesses or ops were priced (per inference, mean over samples). */
  readonly count: number;
  readonly energyJ: number;
}

export function itemKey(i: EnergyItem): string {
  return `${i.layerIndex}\u0000${i.component}\u0000${i.operand}\u0000${i.action}\u0000${i.level}`;
}

/** Monoid sum: rows with the same key merge (counts and energies add); order follows first appearance. */
export function addBreakdowns(...parts: readonly (readonly EnergyItem[])[]): EnergyItem[] {
  const merged = new Map<string, EnergyItem>();
  const allInLayers = new Map<number, boolean>();
  for (const part of parts) {
    for (const item of part) {
      const allIn = item.component === 'all-in';
      const seen = allInLayers.get(item.layerIndex);
      if (seen !== undefined && seen !== allIn) {
        throw new Error(`layer ${item.layer}: an all-in chip figure cannot be added to per-op ${allIn ? 'compute or memory terms' : `${item.component} terms`}; it already contains them`);
      }
      allInLayers.set(item.layerIndex, allIn);
      const key = itemKey(item);
      const prev = merged.get(key);
      if (!prev) {
        merged.set(key, item);
        continue;
      }
      const sum = { ...prev, count: prev.count + item.count, energyJ: prev.energyJ + item.energyJ };
      if (!Number.isFinite(sum.count) || !Number.isFinite(sum.energyJ)) throw overflow(item, `adding ${describe(item)} rows overflows (${prev.energyJ} J + ${item.energyJ} J)`);
      merged.set(key, sum);
    }
  }
  return [...merged.values()];
}

export function totalEnergyJ(items: readonly EnergyItem[]): number {
  let sum = 0;
  for (const i of items) sum += i.energyJ;
  if (!Number.isFinite(sum)) {
    const largest = items.reduce((a, b) => (Math.abs(b.energyJ) > Math.abs(a.energyJ) ? b : a));
    throw overflow(largest, `the total of ${items.length} items is not a finite number of joules (the largest is ${describe(largest)}, ${largest.energyJ} J)`);
  }
  return sum;
}

const describe = (i: Pick<EnergyItem, 'component' | 'operand' | 'action' | 'level'>): string => `${i.component} ${i.operand} ${i.action} (${i.level})`;

function overflow(i: Pick<EnergyItem, 'layer'>, what: string): OutOfRangeError {
  return new OutOfRangeError(`layer ${i.layer}: ${what}; the energy is outside what a double can hold — check the counts and the constants' values and units`, i.layer);
}

/**
 * The one place an EnergyItem is made: count × energy per unit, refused (OutOfRangeError) unless the
 * count and the unit energy are finite and ≥ 0 and their product finite. `constant` names the
 * constant the unit energy comes from, where the caller knows it.
 */
export function energyItem(base: Omit<EnergyItem, 'energyJ'>, unitJ: number, constant?: string): EnergyItem {
  const energyJ = base.count * unitJ;
  // one comparison chain on the hot path; the messages are built only when something is wrong
  if (base.count >= 0 && unitJ >= 0 && Number.isFinite(energyJ)) {
    // a literal in the interface's field order (one object shape for every item; a spread is several times slower here)
    return { layerIndex: base.layerIndex, layer: base.layer, component: base.component, operand: base.operand, action: base.action, level: base.level, count: base.count, energyJ };
  }
  const from = constant === undefined ? '' : ` (constant ${constant})`;
  if (!Number.isFinite(base.count) || base.count < 0) throw overflow(base, `${describe(base)}: count ${base.count} is not a finite number ≥ 0`);
  if (!Number.isFinite(unitJ) || unitJ < 0) throw overflow(base, `${describe(base)}: energy per unit ${unitJ} J${from} is not a finite number ≥ 0`);
  throw overflow(base, `${describe(base)}: ${base.count} × ${unitJ} J${from} overflows`);
}

/** Sums energy by an arbitrary key (layer, component, operand …), keys in first-appearance order. */
export function groupEnergyJ(items: readonly EnergyItem[], key: (i: EnergyItem) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + i.energyJ);
  return out;
}

/** One priced term of a layer before it becomes an EnergyItem: count × energy per unit. */
export interface Term {
  readonly component: Component;
  readonly operand: string;
  readonly action: string;
  readonly level: string;
  readonly count: number;
  readonly unitJ: number;
  /** The constant the unit energy comes from, when it is one (named by the numeric guard). */
  readonly constant?: string;
}

/** A layer's terms as energy items (terms with a zero count are dropped; order is kept). */
export function termsToItems(layerIndex: number, layer: string, terms: readonly Term[]): EnergyItem[] {
  return terms
    .filter((t) => t.count !== 0)
    .map((t) => energyItem({ layerIndex, layer, component: t.component, operand: t.operand, action: t.action, level: t.level, count: t.count }, t.unitJ, t.constant));
}
