// Evaluates claims against a results document: each claim × profile gives a typed verdict with the
// measured value and its margin (how far inside the condition it is; negative when it fails).
import { builtinConstants } from '../cost-models/constants.js';
import { InputError } from '../core/errors.js';
import type { ConfigurationResult, ResultsDoc } from '../reports/results.js';
import type { Claim, Condition, Quantity } from './schema.js';

export type Verdict = 'pass' | 'fail';

export interface ClaimResult {
  readonly claim: string;
  readonly description: string;
  /** Profile the claim was evaluated under, or null when it names no profile. */
  readonly profile: string | null;
  readonly expected: string;
  readonly measured: number;
  readonly verdict: Verdict;
  /** Relative slack of the condition (absolute when the bound is 0): ≥ 0 holds, < 0 fails. */
  readonly margin: number;
}

const NEUROBENCH = ['Footprint', 'ConnectionSparsity', 'Dense', 'Effective_MACs', 'Effective_ACs', 'MembraneUpdates', 'ActivationSparsity'] as const;
const LAYER_COUNTS = ['inputEvents', 'outputEvents', 'synOps', 'updates'] as const;
const LAYER_RATES = ['spikesPerSynapse', 'outputRate', 'inputSparsity'] as const;
const ENERGY_PARTS = ['totalJ', 'computeJ', 'memoryJ'] as const;

interface Ctx {
  readonly doc: ResultsDoc;
  readonly claim: string;
  readonly profile: string | null;
}

function fail(ctx: Ctx, field: string, msg: string): never {
  throw new InputError(`claim ${ctx.claim}: ${field}: ${msg}`);
}

function config(ctx: Ctx, id: string, field: string): ConfigurationResult {
  const c = ctx.doc.configurations.find((x) => x.id === id);
  if (!c) fail(ctx, field, `unknown configuration "${id}"; the results have ${ctx.doc.configurations.map((x) => x.id).join(', ')}`);
  return c;
}

function energyOf(ctx: Ctx, c: ConfigurationResult, profile: string | undefined, part: (typeof ENERGY_PARTS)[number], field: string): number {
  const p = profile ?? ctx.profile ?? (ctx.doc.profiles.length === 1 ? ctx.doc.profiles[0].id : null);
  if (p === null) fail(ctx, field, `say which profile: add \`profile:\` to the quantity or \`profiles:\` to the claim (the results have ${ctx.doc.profiles.map((x) => x.id).join(', ')})`);
  const e = c.energy.find((x) => x.profile === p);
  if (!e) {
    const refusal = c.refused.find((r) => r.profile === p);
    if (refusal) fail(ctx, field, `profile "${p}" refused to price ${c.id}: ${refusal.reason}`);
    fail(ctx, field, `profile "${p}" was not priced in these results; they have ${c.energy.map((x) => x.profile).join(', ')}`);
  }
  return e[part];
}

export function evaluateQuantity(q: Quantity, ctx: Ctx, field = 'quantity'): number {
  if ('energy' in q) return energyOf(ctx, config(ctx, q.energy, `${field}.energy`), q.profile, 'totalJ', `${field}.energy`);
  if ('accuracy' in q) {
    const c = config(ctx, q.accuracy, `${field}.accuracy`);
    if (c.accuracy === null) fail(ctx, `${field}.accuracy`, `${c.id} has no accuracy (a ${ctx.doc.kind} run); use \`metric: <name>, config: ${c.id}\` with one of its quality metrics: ${Object.keys(c.quality ?? {}).join(', ') || '(none)'}`);
    return c.accuracy;
  }
  if ('value' in q) return q.value;
  if ('constant' in q) {
    const c = builtinConstants().get(q.constant);
    if (!c) fail(ctx, `${field}.constant`, `unknown constant "${q.constant}" (see cost-models/tech/*.yaml or \`joulebench explain\`)`);
    return c.valueSI;
  }
  if ('ratio' in q) {
    const den = evaluateQuantity(q.ratio[1], ctx, `${field}.ratio[1]`);
    if (den === 0) fail(ctx, `${field}.ratio[1]`, 'the denominator is 0');
    return evaluateQuantity(q.ratio[0], ctx, `${field}.ratio[0]`) / den;
  }
  if ('difference' in q) return evaluateQuantity(q.difference[0], ctx, `${field}.difference[0]`) - evaluateQuantity(q.difference[1], ctx, `${field}.difference[1]`);
  if ('product' in q) return q.product.reduce((acc, x, i) => acc * evaluateQuantity(x, ctx, `${field}.product[${i}]`), 1);
  if ('sum' in q) return q.sum.reduce((acc, x, i) => acc + evaluateQuantity(x, ctx, `${field}.sum[${i}]`), 0);
  // metric
  const c = config(ctx, q.config, `${field}.config`);
  const name = q.metric;
  if ((ENERGY_PARTS as readonly string[]).includes(name)) return energyOf(ctx, c, undefined, name as (typeof ENERGY_PARTS)[number], `${field}.metric`);
  if (q.layer === undefined) {
    const quality = c.quality?.[name];
    if (quality !== undefined) return quality;
    if ((NEUROBENCH as readonly string[]).includes(name)) {
      const value = c.neurobench[name as (typeof NEUROBENCH)[number]];
      if (value === undefined) fail(ctx, `${field}.metric`, `"${name}" is not in this results document (schema version 4 and later); rerun it`);
      return value;
    }
    if ((LAYER_COUNTS as readonly string[]).includes(name)) return c.ledger.layers.reduce((s, l) => s + l.activity[name as (typeof LAYER_COUNTS)[number]].mean, 0);
    if (name === 'spikesPerSynapse') {
      const dense = c.ledger.layers.reduce((s, l) => s + l.geometry.denseSynOps, 0);
      return c.ledger.layers.reduce((s, l) => s + l.activity.synOps.mean, 0) / dense;
    }
    fail(ctx, `${field}.metric`, `"${name}" is not a network metric; use one of ${[...Object.keys(c.quality ?? {}), ...NEUROBENCH, ...LAYER_COUNTS, 'spikesPerSynapse', ...ENERGY_PARTS].join(', ')}, or give a layer`);
  }
  const layer = c.ledger.layers.find((l) => l.name === q.layer);
  if (!layer) fail(ctx, `${field}.layer`, `unknown layer "${q.layer}"; ${q.config} has ${c.ledger.layers.map((l) => l.name).join(', ')}`);
  if ((LAYER_COUNTS as readonly string[]).includes(name) || (LAYER_RATES as readonly string[]).includes(name)) {
    return layer.activity[name as (typeof LAYER_COUNTS)[number] | (typeof LAYER_RATES)[number]].mean;
  }
  fail(ctx, `${field}.metric`, `"${name}" is not a layer metric; use one of ${[...LAYER_COUNTS, ...LAYER_RATES].join(', ')}`);
}

function fmt(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : x.toPrecision(6).replace(/\.?0+(e|$)/, '$1');
}

export function describeCondition(c: Condition): string {
  if ('within' in c) {
    const w = c.within;
    const tol = [w.rel !== undefined ? `${fmt(w.rel * 100)}%` : null, w.abs !== undefined ? fmt(w.abs) : null].filter(Boolean).join(' or ');
    return `within ${tol} of ${fmt(w.value)}`;
  }
  const [op, v] = Object.entries(c)[0] as [string, number];
  return `${op.replace('<=', '≤').replace('>=', '≥')} ${fmt(v)}`;
}

const slack = (diff: number, bound: number): number => (bound === 0 ? diff : diff / Math.abs(bound));

/** Whether `m` meets the condition, and its margin. */
export function checkCondition(c: Condition, m: number): { verdict: Verdict; margin: number } {
  let ok: boolean;
  let margin: number;
  if ('within' in c) {
    const w = c.within;
    const tol = Math.max(w.rel !== undefined ? w.rel * Math.abs(w.value) : 0, w.abs ?? 0);
    margin = slack(tol - Math.abs(m - w.value), w.value);
    ok = Math.abs(m - w.value) <= tol;
  } else if ('<' in c) {
    margin = slack(c['<'] - m, c['<']);
    ok = m < c['<'];
  } else if ('<=' in c) {
    margin = slack(c['<='] - m, c['<=']);
    ok = m <= c['<='];
  } else if ('>' in c) {
    margin = slack(m - c['>'], c['>']);
    ok = m > c['>'];
  } else if ('>=' in c) {
    margin = slack(m - c['>='], c['>=']);
    ok = m >= c['>='];
  } else {
    margin = -slack(Math.abs(m - c['==']), c['==']);
    ok = m === c['=='];
  }
  return { verdict: ok ? 'pass' : 'fail', margin };
}

export function evaluateClaims(claims: readonly Claim[], doc: ResultsDoc): ClaimResult[] {
  const rows: ClaimResult[] = [];
  for (const claim of claims) {
    for (const profile of claim.profiles ?? [null]) {
      const ctx: Ctx = { doc, claim: claim.id, profile };
      if (profile !== null && !doc.profiles.some((p) => p.id === profile)) {
        fail(ctx, 'profiles', `profile "${profile}" was not priced in these results; they have ${doc.profiles.map((p) => p.id).join(', ')}`);
      }
      const measured = evaluateQuantity(claim.quantity, ctx);
      if (!Number.isFinite(measured)) fail(ctx, 'quantity', `evaluates to ${measured}`);
      const { verdict, margin } = checkCondition(claim.condition, measured);
      rows.push({ claim: claim.id, description: claim.description ?? '', profile, expected: describeCondition(claim.condition), measured, verdict, margin });
    }
  }
  return rows;
}
