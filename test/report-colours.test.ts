// One fixed style (colour and fill) per energy category (component × operand / op), defined once in
// reports/chart-spec.ts and used by every report and export: no two categories share a style, a
// category's style does not depend on which other categories a chart holds, every category the
// built-in cost models emit has its own entry, and the run report's stacked chart draws each
// category in its style.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY_STYLES, categoryEncoding, categoryStyle, sortCategories } from '../reports/chart-spec.js';
import { chartSvg } from '../reports/chart-export.js';
import { buildCharts } from '../reports/charts.js';
import type { ResultsDoc } from '../reports/results.js';
import { SMALL_RUN, runCli, tempDir } from './cli-helpers.js';

const ROOT = resolve(import.meta.dirname, '..');

/** The (component, operand) pairs the cost models' sources write as literals, and the op and operand unions of the ledger. */
function emittedCategories(): string[] {
  const out = new Set<string>();
  const dir = join(ROOT, 'cost-models');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/component: '(compute|memory|all-in)', operand: '([a-z_-]+)'/g)) out.add(`${m[1]}: ${m[2]}`);
    // memory terms built by a helper: mem('event', …), access('bias', …), stateOf('timestamp')
    for (const m of src.matchAll(/\b(?:mem|access)\('([a-z_-]+)'/g)) out.add(`memory: ${m[1]}`);
    for (const m of src.matchAll(/stateOf\('([a-z_-]+)'\)/g)) out.add(`memory: ${m[1]}`);
  }
  const ledger = readFileSync(join(ROOT, 'core', 'ledger.ts'), 'utf8');
  const union = (name: string) => [.../export type (\w+) =([^;]+);/g[Symbol.matchAll](ledger)].find((m) => m[1] === name)![2].match(/'([a-z_-]+)'/g)!.map((x) => x.slice(1, -1));
  for (const op of union('OpKind')) out.add(`compute: ${op}`);
  for (const operand of union('Operand')) out.add(`memory: ${operand}`);
  // the accelerator model's operands (weight, input, psum) come from a tuple list
  for (const m of readFileSync(join(dir, 'accelerator.ts'), 'utf8').matchAll(/\['([a-z_]+)', r\.\w, (?:true|false)\]/g)) out.add(`memory: ${m[1]}`);
  return [...out].sort();
}

describe('energy category styles', () => {
  it('give no two categories the same colour and fill', () => {
    const keys = Object.entries(CATEGORY_STYLES).map(([, s]) => `${s.colour}|${s.fill}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('cover every category the built-in cost models can emit', () => {
    const emitted = emittedCategories();
    expect(emitted.length).toBeGreaterThan(20);
    expect(emitted).toContain('memory: psum');
    expect(emitted).toContain('memory: timestamp');
    expect(emitted).toContain('compute: acc');
    expect(emitted.filter((c) => !(c in CATEGORY_STYLES))).toEqual([]);
  });

  it('are the same whatever else a chart holds, and an unknown category is stable too', () => {
    const all = Object.keys(CATEGORY_STYLES);
    const full = categoryEncoding('part', all, 't') as { color: { scale: { domain: string[]; range: string[] } }; fillOpacity: { scale: { domain: string[]; range: number[] } } };
    const colourOf = (enc: typeof full, c: string) => enc.color.scale.range[enc.color.scale.domain.indexOf(c)];
    const opacityOf = (enc: typeof full, c: string) => enc.fillOpacity.scale.range[enc.fillOpacity.scale.domain.indexOf(c)];
    for (const subset of [['memory: potential', 'compute: ac'], ['compute: acc', 'memory: weight', 'my-plugin: thing'], all.slice(7, 19).reverse()]) {
      const enc = categoryEncoding('part', subset, 't') as typeof full;
      expect(enc.color.scale.domain).toEqual(sortCategories(subset));
      for (const c of subset) {
        expect(colourOf(enc, c)).toBe(categoryStyle(c).colour);
        expect(opacityOf(enc, c)).toBe(categoryStyle(c).fill === 'solid' ? 1 : 0.3);
        if (c in CATEGORY_STYLES) expect(colourOf(enc, c)).toBe(colourOf(full, c));
      }
    }
    expect(categoryStyle('my-plugin: thing')).toEqual(categoryStyle('my-plugin: thing'));
    expect(categoryStyle('my-plugin: thing').dashed).toBe(true);
    // the pairs the issue saw collide are told apart
    expect(categoryStyle('compute: ac')).not.toEqual(categoryStyle('memory: potential'));
    expect(categoryStyle('compute: acc')).not.toEqual(categoryStyle('memory: weight'));
  });

  it('colour the run report’s stacked chart, whichever profiles the document holds', async () => {
    const cwd = tempDir('colours');
    const r = await runCli([...SMALL_RUN, '-c', 'ops-only-45nm', 'lemaire-2022', 'neuromorphic-core-45nm', 'ann-ideal-reuse-45nm', 'eyeriss-rs-65nm', 'loihi', '-o', 'run'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(cwd, 'run', 'results.json'), 'utf8')) as ResultsDoc;
    const stacked = (d: ResultsDoc) => {
      const c = buildCharts(d).find((x) => x.id === 'energy-per-layer')!;
      const enc = (c.spec as unknown as { spec: { encoding: { color: { scale: { domain: string[]; range: string[] } } } } }).spec.encoding.color.scale;
      return new Map(enc.domain.map((k, i) => [k, enc.range[i]]));
    };
    const all = stacked(doc);
    expect(all.size).toBeGreaterThan(3);
    for (const [k, v] of all) expect(v).toBe(categoryStyle(k).colour);
    // the same document priced under one profile only: the categories it keeps keep their colours
    const one = { ...doc, profiles: doc.profiles.slice(-1), configurations: doc.configurations.map((c) => ({ ...c, energy: c.energy.filter((e) => e.profile === doc.profiles.at(-1)!.id) })) };
    for (const [k, v] of stacked(one)) expect(v).toBe(all.get(k));
    // drawn so: a solid category's bars fully opaque, an outlined one's (loihi's all-in figures) light inside its stroke
    const svg = await chartSvg(buildCharts(doc).find((x) => x.id === 'energy-per-layer')!);
    const bars = (category: string) => [...svg.matchAll(/<path aria-label="[^"]*component: operand \/ op: ([^"]+)"[^>]*fill="(#[0-9a-f]+)" fill-opacity="([0-9.]+)" stroke="(#[0-9a-f]+)"/g)].filter((m) => m[1] === category);
    for (const category of ['memory: weight', 'all-in: synaptic-event']) {
      const style = categoryStyle(category);
      expect(bars(category).length, category).toBeGreaterThan(0);
      for (const [, , fill, opacity, stroke] of bars(category)) expect([fill, Number(opacity), stroke]).toEqual([style.colour, style.fill === 'solid' ? 1 : 0.3, style.colour]);
    }
  });
});
