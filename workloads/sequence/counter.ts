// Counts what one decode step of a sequence block does: compute ops by kind, width and purpose, and
// memory accesses by operand, action and width (in words). Hardware-independent, like the ledger.
//
// Traffic convention of sequence blocks (ARCHITECTURE.md, "recorded layers"): within one step every
// datum crosses its memory once: a weight matrix is read once per token (batch 1), an input vector
// once per projection, each cached key and value once per head group that attends to it, a recurrent
// state read once and written once. Cost models price these counts as recorded, each operand in a
// memory sized by the block's `stores()`.
import type { MemoryAction, Numeric, OpKind, Operand } from '../../core/ledger.js';

export interface CountedOp {
  readonly op: OpKind;
  readonly numeric: Numeric;
  readonly bits: number;
  readonly purpose: string;
  readonly count: number;
}

export interface CountedAccess {
  readonly operand: Operand;
  readonly action: MemoryAction;
  readonly bits: number;
  readonly count: number;
}

/** The counts of one step (or a sum of steps): compute and memory entries in first-seen order. */
export interface StepCounts {
  readonly compute: readonly CountedOp[];
  readonly memory: readonly CountedAccess[];
}

export class StepCounter {
  private readonly ops = new Map<string, { op: OpKind; numeric: Numeric; bits: number; purpose: string; count: number }>();
  private readonly mem = new Map<string, { operand: Operand; action: MemoryAction; bits: number; count: number }>();

  /** Records `n` ops of `op` for `purpose` (fp32 unless told). */
  op(op: OpKind, purpose: string, n: number, numeric: Numeric = 'fp', bits = 32): void {
    if (n === 0) return;
    const k = `${op}|${numeric}|${bits}|${purpose}`;
    const e = this.ops.get(k);
    if (e) e.count += n;
    else this.ops.set(k, { op, numeric, bits, purpose, count: n });
  }

  read(operand: Operand, words: number, bits = 32): void {
    this.access(operand, 'read', words, bits);
  }

  write(operand: Operand, words: number, bits = 32): void {
    this.access(operand, 'write', words, bits);
  }

  private access(operand: Operand, action: MemoryAction, words: number, bits: number): void {
    if (words === 0) return;
    const k = `${operand}|${action}|${bits}`;
    const e = this.mem.get(k);
    if (e) e.count += words;
    else this.mem.set(k, { operand, action, bits, count: words });
  }

  /** The counts so far; the counter starts again from zero. */
  take(): StepCounts {
    const out: StepCounts = { compute: [...this.ops.values()].map((e) => ({ ...e })), memory: [...this.mem.values()].map((e) => ({ ...e })) };
    this.ops.clear();
    this.mem.clear();
    return out;
  }
}

/** Builds StepCounts from a formula's entries (zero counts dropped), for closed-form ledgers. */
export function countsOf(entries: { compute?: readonly CountedOp[]; memory?: readonly CountedAccess[] }): StepCounts {
  const c = new StepCounter();
  for (const e of entries.compute ?? []) c.op(e.op, e.purpose, e.count, e.numeric, e.bits);
  for (const e of entries.memory ?? []) (e.action === 'read' ? c.read : c.write).call(c, e.operand, e.count, e.bits);
  return c.take();
}

/** Sums step counts (a monoid: the empty StepCounts is the identity). */
export function addCounts(...parts: readonly StepCounts[]): StepCounts {
  const c = new StepCounter();
  for (const p of parts) {
    for (const e of p.compute) c.op(e.op, e.purpose, e.count, e.numeric, e.bits);
    for (const e of p.memory) (e.action === 'read' ? c.read : c.write).call(c, e.operand, e.count, e.bits);
  }
  return c.take();
}
