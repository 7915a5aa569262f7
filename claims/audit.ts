// The literature audit: recomputes each published claim of claims/literature.yaml from its own
// printed counts and constants, in interval arithmetic over the rounding of every printed number, so
// "reproduced" means the published figure is what the stated inputs give — no looser tolerance. When a
// claim does not reproduce, it tests the known slips (one constant in place of another) and the
// per-operation energy the figure implies. Beside each energy claim it prices the same counts under a
// memory-inclusive model whose every term is a constant from a table.
import { readDocumentText } from '../core/documents.js';
import { dirname, resolve } from 'node:path';
import type { Constant } from '../cost-models/constants.js';
import { builtinConstants, parseConstantTable } from '../cost-models/constants.js';
import { InputError } from '../core/errors.js';
import { formatJ } from '../reports/summary.js';
import type { AuditStatus, Expr, LiteratureEntry, LiteratureFile, MemoryModel, PrintedNumber } from './literature.js';
import { PRINTED_UNITS } from './literature.js';

/** A value with the interval its printed inputs allow, in SI units; `dim` is the power of joules (1: energy, 0: a number). */
export interface Interval {
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
  readonly dim: number;
}

export interface MemoryEstimate {
  readonly macs: number;
  readonly acs: number;
  readonly computeJ: number;
  readonly memoryJ: number;
  readonly totalJ: number;
  /** Memory-inclusive estimate ÷ the published energy. */
  readonly ratio: number;
  /** What the claim's counts leave out (so the estimate is missing it), or null. */
  readonly omitted: string | null;
}

export interface DerivedValue {
  readonly label: string;
  readonly unit: string;
  readonly valueSI: number;
}

export interface AuditRow {
  readonly entry: LiteratureEntry;
  readonly published: Interval;
  readonly recomputed: Interval | null;
  readonly status: AuditStatus;
  /** The status the literature file records; the audit fails when they differ. */
  readonly recorded: AuditStatus;
  /** Why a claim is off or not recomputable; for a reproduced claim, the two intervals. */
  readonly finding: string;
  readonly memory: MemoryEstimate | null;
  readonly derived: readonly DerivedValue[];
}

export interface MemoryModelSummary {
  readonly id: string;
  readonly title: string;
  /** Energy of one word access (read or write). */
  readonly wordJ: number;
  readonly perMacJ: number;
  readonly perAcJ: number;
  /** Every assumption, with the constants it uses, one sentence each. */
  readonly assumptions: readonly string[];
}

export interface AuditReport {
  readonly file: string;
  readonly description: string;
  readonly memoryModel: MemoryModelSummary;
  readonly rows: readonly AuditRow[];
  readonly mismatches: readonly AuditRow[];
  /** Every constant the audit used, for the appendix. */
  readonly constants: readonly Constant[];
}

const point = (value: number, dim: number): Interval => ({ value, lo: value, hi: value, dim });

/** The value of a printed number and the interval its printed digits stand for, in SI units. */
export function printedInterval(p: PrintedNumber): Interval {
  const text = p.printed.replace(/,/g, '');
  const v = Number(text);
  const unit = PRINTED_UNITS[p.unit];
  const dim = unit.energy ? 1 : 0;
  const f = unit.factor;
  if (p.exact) return point(v * f, dim);
  if (p.rounding === 'order-of-magnitude') {
    const e = Math.log10(v);
    return { value: v * f, lo: 10 ** (e - 0.5) * f, hi: 10 ** (e + 0.5) * f, dim };
  }
  let half: number;
  if (p.significant !== undefined) {
    half = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(v))) - p.significant + 1);
  } else {
    const m = /^-?\d+(?:\.(\d+))?(?:e(-?\d+))?$/.exec(text)!;
    half = 0.5 * 10 ** (Number(m[2] ?? 0) - (m[1]?.length ?? 0));
  }
  return { value: v * f, lo: (v - half) * f, hi: (v + half) * f, dim };
}

interface Ctx {
  readonly origin: string;
  readonly entries: ReadonlyMap<string, LiteratureEntry>;
  readonly entry: LiteratureEntry;
  readonly constants: ReadonlyMap<string, Constant>;
  /** Constant substitutions (testing a slip). */
  readonly replace: ReadonlyMap<string, string>;
}

function bad(ctx: Ctx, field: string, msg: string): never {
  throw new InputError(`${ctx.origin}: field ${field}: ${msg}`);
}

function constantDim(c: Constant): number | null {
  return c.siUnit === 'J' ? 1 : c.siUnit === '1' ? 0 : null;
}

function hull(dim: number, ...xs: number[]): Interval {
  return { value: xs[0], lo: Math.min(...xs.slice(1)), hi: Math.max(...xs.slice(1)), dim };
}

/** Evaluates an expression with the interval its printed inputs allow; refuses a non-finite result (an overflow). */
export function evaluateExpr(e: Expr, ctx: Ctx, field: string): Interval {
  const x = evaluateTerms(e, ctx, field);
  if (![x.value, x.lo, x.hi].every(Number.isFinite)) bad(ctx, field, `evaluates to a non-finite number (value ${x.value}, interval [${x.lo}, ${x.hi}]): an input or exponent is too large; check the formula and its inputs`);
  return x;
}

function evaluateTerms(e: Expr, ctx: Ctx, field: string): Interval {
  if ('value' in e) return point(e.value, 0);
  if ('input' in e) {
    const owner = e.entry === undefined ? ctx.entry : ctx.entries.get(e.entry)!;
    return printedInterval(owner.inputs![e.input]);
  }
  if ('published' in e) return printedInterval(ctx.entries.get(e.published)!.published);
  if ('constant' in e) {
    const id = ctx.replace.get(e.constant) ?? e.constant;
    const c = ctx.constants.get(id);
    if (!c) bad(ctx, `${field}.constant`, `unknown constant "${id}" (see cost-models/tech/*.yaml and the file's constantTables)`);
    const dim = constantDim(c);
    if (dim === null) bad(ctx, `${field}.constant`, `constant ${id} is in ${c.siUnit}; formulas take energies (J) or pure numbers`);
    return point(c.valueSI, dim);
  }
  if ('sum' in e || 'difference' in e) {
    const parts = 'sum' in e ? e.sum : e.difference;
    const key = 'sum' in e ? 'sum' : 'difference';
    const xs = parts.map((x, i) => evaluateExpr(x, ctx, `${field}.${key}.${i}`));
    if (xs.some((x) => x.dim !== xs[0].dim)) bad(ctx, `${field}.${key}`, 'adds an energy to a pure number; every term must have the same unit');
    if (key === 'difference') return { value: xs[0].value - xs[1].value, lo: xs[0].lo - xs[1].hi, hi: xs[0].hi - xs[1].lo, dim: xs[0].dim };
    return xs.reduce((a, b) => ({ value: a.value + b.value, lo: a.lo + b.lo, hi: a.hi + b.hi, dim: a.dim }));
  }
  if ('product' in e) {
    return e.product
      .map((x, i) => evaluateExpr(x, ctx, `${field}.product.${i}`))
      .reduce((a, b) => hull(a.dim + b.dim, a.value * b.value, a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi));
  }
  if ('ratio' in e) {
    const [a, b] = e.ratio.map((x, i) => evaluateExpr(x, ctx, `${field}.ratio.${i}`));
    if (b.lo <= 0 && b.hi >= 0) bad(ctx, `${field}.ratio.1`, 'the denominator is or may be 0');
    return hull(a.dim - b.dim, a.value / b.value, a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi);
  }
  const [base, exp] = e.power.map((x, i) => evaluateExpr(x, ctx, `${field}.power.${i}`));
  if (base.dim !== 0 || exp.dim !== 0) bad(ctx, `${field}.power`, 'base and exponent must be pure numbers');
  if (exp.lo !== exp.hi || !Number.isInteger(exp.value) || exp.value < 0) bad(ctx, `${field}.power.1`, 'the exponent must be an exact whole number ≥ 0');
  if (base.lo < 0) bad(ctx, `${field}.power.0`, 'the base must be ≥ 0');
  return { value: base.value ** exp.value, lo: base.lo ** exp.value, hi: base.hi ** exp.value, dim: 0 };
}

/** Do two intervals overlap (up to float round-off)? */
export function overlaps(a: Interval, b: Interval): boolean {
  const eps = 1e-12 * Math.max(Math.abs(a.value), Math.abs(b.value));
  return a.lo <= b.hi + eps && b.lo <= a.hi + eps;
}

function constantsOf(e: Expr): string[] {
  if ('constant' in e) return [e.constant];
  const parts = 'sum' in e ? e.sum : 'product' in e ? e.product : 'difference' in e ? e.difference : 'ratio' in e ? e.ratio : 'power' in e ? e.power : [];
  return parts.flatMap(constantsOf);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A published figure as the source wrote it: "7.4635 mJ", "≈1360×", "≈10⁴×". */
export function publishedText(p: PrintedNumber): string {
  const digits = p.rounding === 'order-of-magnitude' ? `≈${p.quoted ?? p.printed}` : p.significant !== undefined ? `≈${p.printed}` : p.printed;
  return p.unit === '1' ? digits : p.unit === '×' ? `${digits}×` : `${digits} ${p.unit}`;
}

const constantText = (c: Constant): string => `${c.value} ${c.unit} (${c.id} [${c.evidence}])`;

/** The digits of an SI value in a printed unit, to `sig` significant digits (from 10⁴ up: grouped, at most one decimal). */
function digitsIn(valueSI: number, unit: string, sig: number): string {
  const v = valueSI / PRINTED_UNITS[unit].factor;
  if (Math.abs(v) < 1e4) return Number(v.toPrecision(sig)).toString();
  const [whole, frac] = Number(v.toFixed(1)).toString().split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac === undefined ? '' : `.${frac}`}`;
}

const withUnit = (digits: string, unit: string): string => (unit === '1' ? digits : unit === '×' ? `${digits}×` : `${digits} ${unit}`);

/** Formats an SI value in a printed unit: "7.46333 mJ", "1362×", "172,800". */
export function formatIn(valueSI: number, unit: string, sig = 4): string {
  return withUnit(digitsIn(valueSI, unit, sig), unit);
}

/** Formats an interval in a printed unit: "7.46306–7.46361 mJ", or one value when its inputs are exact. */
export function formatRange(x: Interval, unit: string, sig = 6): string {
  if (x.lo === x.hi) return `${formatIn(x.value, unit, sig)} (from exact inputs)`;
  return withUnit(`${digitsIn(x.lo, unit, sig)}–${digitsIn(x.hi, unit, sig)}`, unit);
}

/** Significant digits a printed number shows (at least 1). */
function printedDigits(p: PrintedNumber): number {
  if (p.significant !== undefined) return p.significant;
  const mantissa = p.printed.replace(/,/g, '').replace(/^-/, '').split('e')[0].replace('.', '').replace(/^0+/, '');
  return Math.max(1, mantissa.length);
}

/** Significant digits to show a recomputed value of this entry with: one more than the published figure. */
export function displayDigits(entry: LiteratureEntry): number {
  return Math.max(4, printedDigits(entry.published) + 1);
}

function diagnose(entry: LiteratureEntry, file: LiteratureFile, pub: Interval, rec: Interval, ctx: Ctx, field: string, published: string): string {
  const unit = entry.published.unit;
  const sig = displayDigits(entry);
  const recText = rec.lo === rec.hi ? formatRange(rec, unit, sig + 2) : `${formatIn(rec.value, unit, sig)} (${formatRange(rec, unit, sig + 2)})`;
  const parts = [`recomputes to ${recText}, outside the ${formatRange(pub, unit, sig + 2)} that the published ${published} stands for; published ÷ recomputed = ${(pub.value / rec.value).toPrecision(3)}`];
  const expr = entry.formula!.expr;
  const used = constantsOf(expr);
  for (const alt of file.alternatives) {
    if (!used.includes(alt.replace)) continue;
    const r = evaluateExpr(expr, { ...ctx, replace: new Map([[alt.replace, alt.with]]) }, field);
    if (overlaps(r, pub)) {
      parts.push(`it ${alt.says}: ${constantText(ctx.constants.get(alt.with)!)} instead of ${constantText(ctx.constants.get(alt.replace)!)} gives ${formatIn(r.value, unit, sig)}, which reproduces it`);
      break;
    }
  }
  // One count times one constant: the figure implies its own per-operation energy.
  if ('product' in expr && expr.product.length === 2) {
    const k = expr.product.findIndex((x) => 'constant' in x);
    if (k >= 0 && !('constant' in expr.product[1 - k])) {
      const count = evaluateExpr(expr.product[1 - k], ctx, field);
      const c = ctx.constants.get((expr.product[k] as { constant: string }).constant)!;
      if (count.dim === 0 && c.siUnit === 'J') parts.push(`the published figure implies ${formatJ(pub.value / count.value)} per operation, where the formula has ${constantText(c)}`);
    }
  }
  return parts.join('; ');
}

function memoryEstimate(entry: LiteratureEntry, pub: Interval, model: MemoryModelSummary, ctx: Ctx, field: string, m: MemoryModel): MemoryEstimate | null {
  if (!entry.ops) return null;
  if (pub.dim !== 1) bad(ctx, `${field}.ops`, `the published figure is not an energy (unit ${entry.published.unit}), so there is no energy to set the estimate beside; remove ops`);
  const count = (e: Expr | undefined, key: string): number => {
    if (e === undefined) return 0;
    const x = evaluateExpr(e, ctx, `${field}.ops.${key}`);
    if (x.dim !== 0) bad(ctx, `${field}.ops.${key}`, 'must be an operation count, not an energy');
    return x.value;
  };
  const macs = count(entry.ops.mac, 'mac');
  const acs = count(entry.ops.ac, 'ac');
  const e = (id: string) => ctx.constants.get(id)!.valueSI;
  const computeJ = macs * e(m.mac.compute) + acs * e(m.ac.compute);
  const totalJ = macs * model.perMacJ + acs * model.perAcJ;
  return { macs, acs, computeJ, memoryJ: totalJ - computeJ, totalJ, ratio: totalJ / pub.value, omitted: entry.ops.omitted ?? null };
}

function requireConstant(constants: ReadonlyMap<string, Constant>, id: string, origin: string, field: string, wantJ: boolean): Constant {
  const c = constants.get(id);
  if (!c) throw new InputError(`${origin}: field ${field}: unknown constant "${id}" (see cost-models/tech/*.yaml and the file's constantTables)`);
  if (wantJ && c.siUnit !== 'J') throw new InputError(`${origin}: field ${field}: constant ${id} is in ${c.siUnit}; an energy (J) is needed`);
  return c;
}

/** The memory model's per-operation energies and its assumptions, every number from a constant. */
export function summarizeMemoryModel(m: MemoryModel, constants: ReadonlyMap<string, Constant>, origin: string): MemoryModelSummary {
  const sram = requireConstant(constants, m.sram.constant, origin, 'memoryModel.sram.constant', true);
  const mac = requireConstant(constants, m.mac.compute, origin, 'memoryModel.mac.compute', true);
  const ac = requireConstant(constants, m.ac.compute, origin, 'memoryModel.ac.compute', true);
  const wordJ = (sram.valueSI * m.wordBits) / m.sram.accessBits;
  const perOp = (c: Constant, op: MemoryModel['mac']) => c.valueSI + (op.reads + op.writes) * wordJ;
  const perMacJ = perOp(mac, m.mac);
  const perAcJ = perOp(ac, m.ac);
  const opLine = (name: string, c: Constant, op: MemoryModel['mac'], total: number) =>
    `each ${name} = ${constantText(c)} + (${plural(op.reads, 'read')} + ${plural(op.writes, 'write')}) × ${formatJ(wordJ)} = ${formatJ(total)}: ${op.what}`;
  return {
    id: m.id,
    title: m.title,
    wordJ,
    perMacJ,
    perAcJ,
    assumptions: [
      `one ${m.wordBits}-bit word access = ${constantText(sram)} per ${m.sram.accessBits}-bit access × ${m.wordBits}/${m.sram.accessBits} = ${formatJ(wordJ)}: ${m.sram.scaling}`,
      `${m.wordBits}-bit words: ${m.wordBitsSource}`,
      opLine('MAC', mac, m.mac, perMacJ),
      opLine('AC (SOP)', ac, m.ac, perAcJ),
      ...m.leftOut.map((x) => `left out: ${x}`),
    ],
  };
}

/** Built-in constants plus the file's own tables (paths relative to the file). */
export function auditConstants(file: LiteratureFile, path: string): Map<string, Constant> {
  const all = new Map(builtinConstants());
  (file.constantTables ?? []).forEach((rel, i) => {
    const field = `constantTables.${i}`;
    const p = resolve(dirname(path), rel);
    const text = readDocumentText({ path: p, field: `${path}: field ${field}:`, what: 'a constant table (YAML)' });
    let table;
    try {
      table = parseConstantTable(text, p);
    } catch (e) {
      throw new InputError(`${path}: field ${field}: ${(e as Error).message}`);
    }
    for (const [id, c] of table.constants) {
      if (all.has(id)) throw new InputError(`${path}: field ${field}: constant ${id} is already defined (by cost-models/tech or an earlier table); give the table another id`);
      all.set(id, c);
    }
  });
  return all;
}

/** Audits every entry of a parsed literature file (`path` names it in errors and resolves its tables). */
export function auditLiterature(file: LiteratureFile, path: string): AuditReport {
  const constants = auditConstants(file, path);
  file.alternatives.forEach((a, i) => {
    requireConstant(constants, a.replace, path, `alternatives.${i}.replace`, false);
    requireConstant(constants, a.with, path, `alternatives.${i}.with`, false);
  });
  const model = summarizeMemoryModel(file.memoryModel, constants, path);
  const entries = new Map(file.entries.map((e) => [e.id, e]));
  const used = new Set<string>([file.memoryModel.sram.constant, file.memoryModel.mac.compute, file.memoryModel.ac.compute]);
  const rows = file.entries.map((entry, i): AuditRow => {
    const field = `entries.${i}`;
    const ctx: Ctx = { origin: path, entries, entry, constants, replace: new Map() };
    const pub = printedInterval(entry.published);
    if (entry.published.rounding === 'order-of-magnitude' && !Number.isInteger(Math.log10(pub.value / PRINTED_UNITS[entry.published.unit].factor))) {
      bad(ctx, `${field}.published.printed`, 'order-of-magnitude rounding needs a power of ten, e.g. "1e4"');
    }
    const derived = (entry.derived ?? []).map((d, k): DerivedValue => {
      const x = evaluateExpr(d.expr, ctx, `${field}.derived.${k}.expr`);
      if (x.dim !== (PRINTED_UNITS[d.unit].energy ? 1 : 0)) bad(ctx, `${field}.derived.${k}.unit`, `${d.unit} does not match the expression (${x.dim === 1 ? 'an energy' : 'a pure number'})`);
      constantsOf(d.expr).forEach((c) => used.add(c));
      return { label: d.label, unit: d.unit, valueSI: x.value };
    });
    const memory = memoryEstimate(entry, pub, model, ctx, field, file.memoryModel);
    if (!entry.formula) {
      return { entry, published: pub, recomputed: null, status: 'not-recomputable', recorded: entry.status, finding: entry.why!, memory, derived };
    }
    const rec = evaluateExpr(entry.formula.expr, ctx, `${field}.formula.expr`);
    if (rec.dim !== pub.dim) bad(ctx, `${field}.formula.expr`, `gives ${rec.dim === 1 ? 'an energy' : 'a pure number'} but the published figure is in ${entry.published.unit}`);
    constantsOf(entry.formula.expr).forEach((c) => used.add(c));
    const unit = entry.published.unit;
    const sig = displayDigits(entry);
    const published = publishedText(entry.published);
    const ok = overlaps(rec, pub);
    const finding = ok
      ? `the inputs give ${formatRange(rec, unit, sig + 2)}; the published ${published} stands for ${formatRange(pub, unit, sig + 2)}`
      : diagnose(entry, file, pub, rec, ctx, `${field}.formula.expr`, published);
    if (!ok) file.alternatives.forEach((a) => constantsOf(entry.formula!.expr).includes(a.replace) && used.add(a.with));
    return { entry, published: pub, recomputed: rec, status: ok ? 'reproduced' : 'off', recorded: entry.status, finding, memory, derived };
  });
  return {
    file: path,
    description: file.description ?? '',
    memoryModel: model,
    rows,
    mismatches: rows.filter((r) => r.status !== r.recorded),
    constants: [...used].sort().map((id) => constants.get(id)!),
  };
}
