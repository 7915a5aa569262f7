// `joulebench explain <profile>`: everything a profile prices with — its model and what the model
// counts, every constant with value, unit, range, evidence and source, every parameter with its valid
// range, every option (memory kind, SRAM mode) with its meaning, and the technology scaling factor.
import type { Constant } from './constants.js';
import type { HardwareProfile } from './profile.js';
import { costModelFor } from './registry.js';
import { nodeScaleFactor, nodeScalingText } from './scaling.js';
import { OP_EQUIVALENT_ROLES, PACKED_SRAM_ROLE, operatingPoints } from './tech.js';

/** Optional roles whose absence refuses a ledger that needs them (exp/log/div; on-chip learning) instead of leaving it unpriced. */
const REFUSED_WHEN_UNBOUND: readonly string[] = [...OP_EQUIVALENT_ROLES, 'learningUpdate'];

const rangeText = (c: Constant): string => (c.low === c.high ? 'exact' : `${c.low} – ${c.high} ${c.unit}`);

export function explainProfile(p: HardwareProfile): string {
  const model = costModelFor(p);
  const lines: string[] = [
    `${p.id}: ${p.title}`,
    '',
    p.description.trim(),
    '',
    `model ${model.id}: ${model.description}`,
    ...(model.constantKind === 'all-in' ? ['all-in: memory, routing and leakage are inside these figures; no memory or op term can be added to them.'] : []),
    '',
    'constants (role: id = value unit [range] [evidence])',
  ];
  const roles = [...model.constantRoles, ...(model.optionalConstantRoles ?? [])];
  for (const role of roles) {
    const c = p.constants[role];
    if (!c) {
      const why = role === PACKED_SRAM_ROLE ? 'used only with sramMode flat-packed' : REFUSED_WHEN_UNBOUND.includes(role) ? 'ledgers that need it are refused' : 'what it would price is listed as unpriced';
      lines.push(`  ${role}: (not bound; ${why})`);
      continue;
    }
    lines.push(`  ${role}: ${c.id} = ${c.value} ${c.unit}  [${rangeText(c)}]  [${c.evidence}]`);
    lines.push(`      source: ${c.source.replace(/\s+/g, ' ').trim()}`);
    lines.push(`      range:  ${c.rangeSource.replace(/\s+/g, ' ').trim()}`);
  }
  const params = Object.entries(model.parameters);
  if (params.length > 0) {
    lines.push('', 'parameters (name = value unit, valid range)');
    for (const [name, spec] of params) {
      const v = p.parameters[name];
      lines.push(`  ${name} = ${v.value} ${v.unit}  (valid ${spec.min} – ${spec.max}${spec.integer ? ', integer' : ''})`);
      lines.push(`      source: ${v.source.replace(/\s+/g, ' ').trim()}`);
    }
  }
  const options = Object.entries(model.options ?? {});
  if (options.length > 0) {
    lines.push('', 'options (name = value: meaning)');
    for (const [name, spec] of options) {
      const o = p.options?.[name] ?? { value: spec.default, source: `model ${model.id}'s default` };
      lines.push(`  ${name} = ${o.value}: ${spec.meanings[o.value] ?? ''}  (one of ${spec.values.join(', ')}; ${spec.description})`);
      lines.push(`      source: ${o.source.replace(/\s+/g, ' ').trim()}`);
      for (const [full, r] of Object.entries(p.options ?? {}).filter(([k]) => k.startsWith(`${name}.`))) {
        lines.push(`  ${full} = ${r.value}: ${spec.meanings[r.value] ?? ''}`);
        lines.push(`      source: ${r.source.replace(/\s+/g, ' ').trim()}`);
      }
    }
  }
  if ('nodeNm' in p.parameters && 'refNodeNm' in p.parameters) {
    const { from, to } = operatingPoints(p);
    lines.push('', `technology scaling: ${from.nodeNm} nm, ${from.vddV} V → ${to.nodeNm} nm, ${to.vddV} V = ×${nodeScaleFactor(from, to).toPrecision(4)} on chip (Stillmaker & Baas 2017 coefficients; DRAM is not scaled)`);
    for (const n of [...new Set([from.nodeNm, to.nodeNm])]) lines.push(`  ${nodeScalingText(n)}`);
  }
  if (p.extends) lines.push('', `extends ${p.extends}: every constant, parameter and option not set in the profile file is ${p.extends}'s`);
  if (p.hardware) {
    lines.push('', `hardware description: ${p.hardware.files.join(', ')} (Accelergy energies in pJ, converted to joules)`, 'bound onto roles:');
    for (const b of p.hardware.bound) lines.push(`  ${b}`);
    lines.push(p.hardware.unused.length ? 'kept but not used (component action: why):' : 'every component action was used');
    for (const u of p.hardware.unused) lines.push(`  ${u}`);
  }
  lines.push('', 'Evidence: [P] primary source, [S] secondary copy, [I] inferred. Ranges feed the bounds, Monte Carlo and tornado of `joulebench run`.');
  return lines.join('\n');
}
