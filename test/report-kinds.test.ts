// `joulebench report` on a sequence study's and a brain model's results folder (results.json of kind
// sequence and brain): report.html holds the quality numbers and every configuration's energy read
// off results.json, every chart is exported as valid SVG and PNG, and the count it says is the count
// it wrote. Each test makes its own tiny run in process (runCli), with the test's own cache.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsDoc } from '../reports/results.js';
import { runCli, tempDir } from './cli-helpers.js';

const SEQ = ['seq', '-f', 'softmax', 'spikegpt', '-c', 'ops-only-45nm', 'ann-ideal-reuse-45nm', 'lemaire-2022', '--text-steps', '3', '--recall-steps', '3', '--batch', '2', '--context', '16', '--d', '16', '--heads', '2', '--layers', '1', '--mlp-width', '16', '--eval-windows', '2', '--recall-sequences', '2', '--recall-lengths', '16', '24', '--recall-train-lengths', '16', '--lengths', '16', '24', '40', '-q'];
const STDP = ['brain', 'stdp', '--neurons', '4', '--train', '10', '--label', '10', '--test', '10', '--steps', '50', '-c', 'ops-only-45nm', 'ann-ideal-reuse-45nm', 'lemaire-2022', 'loihi', '-q'];
const HOPFIELD = ['brain', 'hopfield', '--units', '100', '--alphas', '0.05', '--capacity-probes', '5', '--patterns', '2', '--memories', '20', '--probes', '5', '-c', 'ops-only-45nm', 'eyeriss-rs-65nm', 'lemaire-2022', '-q'];

/** Energies as the reports print them: three significant digits and an SI prefix (written here, not imported). */
function joules(j: number): string {
  if (j === 0) return '0 J';
  for (const [f, p] of [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']] as const) if (Math.abs(j) >= f) return `${(j / f).toPrecision(3)} ${p}J`;
  return `${j.toExponential(2)} J`;
}
const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const row = (cells: readonly string[]) => `<tr>${cells.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`;

/** Runs `joulebench <argv> -o <dir>` in a new folder, then `joulebench report <dir>` on what it wrote (its report.html removed first). */
async function runThenReport(argv: readonly string[], dir: string): Promise<{ cwd: string; out: string; doc: ResultsDoc; page: string; charts: string[] }> {
  const cwd = tempDir(`report-${dir}`);
  const r = await runCli([...argv, '-o', dir], cwd);
  expect(r.code, r.stderr).toBe(0);
  expect(readFileSync(join(cwd, dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/); // seq and brain write their report themselves
  const doc = JSON.parse(readFileSync(join(cwd, dir, 'results.json'), 'utf8')) as ResultsDoc;
  return { cwd, out: r.stdout, doc, ...(await reportWithCharts(cwd, dir)) };
}

/** Runs `joulebench report <dir>` (report.html removed first, so it must write it) and checks the charts it says it wrote. */
async function reportWithCharts(cwd: string, dir: string): Promise<{ page: string; charts: string[] }> {
  rmSync(join(cwd, dir, 'report.html'), { force: true });
  const r = await runCli(['report', dir, '--images'], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const said = /^wrote (.+)\/report\.html and (\d+) charts? as SVG and PNG \((\d+) files\) under (.+)\/charts$/.exec(r.out[0]);
  expect(said, r.stdout).not.toBeNull();
  const files = readdirSync(join(cwd, dir, 'charts')).sort();
  expect(files.length).toBe(Number(said![3]));
  expect(files.length).toBe(2 * Number(said![2]));
  const charts = [...new Set(files.map((f) => f.replace(/\.(svg|png)$/, '')))];
  for (const id of charts) {
    expect(files).toContain(`${id}.svg`);
    expect(files).toContain(`${id}.png`);
    const svg = readFileSync(join(cwd, dir, 'charts', `${id}.svg`), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const png = readFileSync(join(cwd, dir, 'charts', `${id}.png`));
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBeGreaterThan(200); // width
    expect(png.readUInt32BE(20)).toBeGreaterThan(100); // height
    expect(png.subarray(png.length - 8, png.length - 4).toString('latin1')).toBe('IEND');
  }
  expect(existsSync(join(cwd, dir, 'report.html'))).toBe(true);
  return { page: readFileSync(join(cwd, dir, 'report.html'), 'utf8'), charts };
}

/** The brain report's table of energy per sample: one row per profile, one cell per phase (in the document's order); returns the phases' configurations. */
function phaseEnergyRows(page: string, doc: ResultsDoc): ResultsDoc['configurations'][number][] {
  const phases = doc.brain!.phases.map((p) => doc.configurations.find((c) => c.id === p.configuration)!);
  for (const p of doc.profiles) {
    const cells = phases.map((c) => {
      const e = c.energy.find((x) => x.profile === p.id);
      return e ? joules(e.totalJ) : 'refused';
    });
    expect(page).toContain(row([p.id, ...cells]));
  }
  return phases;
}

describe('joulebench report on a sequence study', () => {
  it('renders quality, every energy per token and the refusals, and exports its three charts', async () => {
    const { cwd, out, doc, page, charts } = await runThenReport(SEQ, 'seq');
    expect(out).toContain('wrote seq/{results.json,energy.csv,report.html,summary.md,benchmark.json,bmf.json}');
    expect(charts).toEqual(['cache-share-vs-context', 'energy-vs-context', 'quality-vs-energy']);
    // quality: bits per character and recall per L, with each family's kind and its verdict against the quality
    // floor (the zero-mixer ablation, run although not asked for, ± 0.05)
    const zero = doc.sequence!.families.find((f) => f.family === 'zero')!;
    const verdict = (f: NonNullable<typeof doc.sequence>['families'][number]) =>
      f === zero ? 'ablation' : f.text!.bitsPerChar <= zero.text!.bitsPerChar - 0.05 && f.recall!.byLength.every((b, i) => b.accuracy >= zero.recall!.byLength[i].accuracy + 0.05) ? 'meets' : 'BELOW';
    for (const f of doc.sequence!.families) {
      const recall = [16, 24].map((L) => percent(f.recall!.byLength.find((b) => b.L === L)!.accuracy));
      expect(page).toContain(row([f.family, f.kind, String(f.parameters), f.text!.bitsPerChar.toFixed(3), ...recall, verdict(f)]));
    }
    expect(doc.sequence!.families.map((f) => `${f.family} ${f.kind}`)).toEqual(['softmax ann', 'spikegpt snn', 'zero ann']);
    // every configuration's energy per token under each profile (lemaire-2022 refuses the recorded layers), beside quality
    expect(doc.configurations).toHaveLength(9);
    for (const c of doc.configurations) {
      const f = doc.sequence!.families.find((x) => x.family === c.labels!.family)!;
      const cells = doc.profiles.map((p) => {
        const e = c.energy.find((x) => x.profile === p.id);
        return e ? joules(e.totalJ) : 'refused';
      });
      const recallAtL = f.recall!.byLength.find((b) => b.L === c.labels!.L);
      const v = verdict(f);
      expect(page).toContain(row([String(c.labels!.family), String(c.labels!.L), f.text!.bitsPerChar.toFixed(3), recallAtL ? percent(recallAtL.accuracy) : '–', v === 'meets' ? 'ok' : v, ...cells]));
    }
    const refusal = doc.configurations[0].refused.find((r) => r.profile === 'lemaire-2022');
    expect(refusal).toBeDefined();
    expect(page).toContain(html(refusal!.reason));
    // the first-screen answer: the cheapest family at the longest L under each profile that priced it
    for (const profile of ['ops-only-45nm', 'ann-ideal-reuse-45nm']) {
      const at40 = doc.configurations.filter((c) => c.labels!.L === 40).map((c) => ({ family: String(c.labels!.family), kind: String(c.labels!.kind), J: c.energy.find((e) => e.profile === profile)!.totalJ }));
      const best = at40.reduce((a, b) => (b.J < a.J ? b : a));
      expect(page).toContain(`<tr><td>${profile}</td><td>${best.family} (${best.kind})</td><td>${joules(best.J)}</td>`);
    }
    expect(page).toContain('<tr><td>lemaire-2022</td><td>refused</td>');
    // summary.md: the same study as one Markdown table (the README's), a row per family
    const md = readFileSync(join(cwd, 'seq', 'summary.md'), 'utf8');
    expect(md).toContain('| family | kind | bits/char | recall L=16 / 24 | ops-only-45nm L=16 → 40 | ann-ideal-reuse-45nm L=16 → 40 | lemaire-2022 L=16 → 40 | KV+state share at 40 (ann-ideal-reuse-45nm) | quality floor |');
    for (const f of doc.sequence!.families) {
      const at = (L: number, profile: string) => doc.configurations.find((c) => c.labels!.family === f.family && c.labels!.L === L)!.energy.find((e) => e.profile === profile)!;
      const energies = ['ops-only-45nm', 'ann-ideal-reuse-45nm'].map((p) => `${joules(at(16, p).totalJ)} → ${joules(at(40, p).totalJ)}`);
      const long = at(40, 'ann-ideal-reuse-45nm');
      const share = long.items.filter((i) => i.component === 'memory' && (i.operand === 'kv' || i.operand === 'state')).reduce((a, i) => a + i.energyJ, 0) / long.totalJ;
      const v = verdict(f);
      const short = [...(f.text!.bitsPerChar > zero.text!.bitsPerChar - 0.05 ? ['text'] : []), ...(f.recall!.byLength.some((b, i) => b.accuracy < zero.recall!.byLength[i].accuracy + 0.05) ? ['recall'] : [])];
      const floorCell = v === 'BELOW' ? `**below** (${short.join(', ')})` : v;
      const recall = f.recall!.byLength.map((b) => `${Math.round(100 * b.accuracy)}%`).join(' / ');
      expect(md).toContain(`| ${f.family} | ${f.kind} | ${f.text!.bitsPerChar.toFixed(2)} | ${recall} | ${energies.join(' | ')} | refused | ${Math.round(100 * share)}% | ${floorCell} |`);
    }
    expect(md).toContain('Every model was trained by this run (no checkpoint).');
    // … then the comparison at matched quality at the shortest and the longest L, per profile: the
    // Pareto front of the families meeting the floor (none may, after 3 steps), not at L = 24; and the recall verdicts
    const meets = doc.sequence!.families.filter((f) => verdict(f) === 'meets');
    for (const m of doc.sequence!.matched!) {
      const front = m.front.map((e) => `${e.family} ${e.bitsPerChar.toFixed(3)} bits/char at ${joules(e.energyJ)}`).join(' → ');
      const line = `- ${m.profile}, L=${m.L}: ${front || (meets.length === 0 ? 'no family meets the quality floor' : 'refused every family that meets the quality floor')}`;
      if (m.L === 16 || m.L === 40) expect(md).toContain(line);
      else expect(md).not.toContain(line);
    }
    expect(md).toContain('**At matched quality**');
    expect(md).toMatch(/\n(Every family learns associative recall above chance|Not learning associative recall at this size) \(rule: /);
  });
});

describe('joulebench report on a brain model', () => {
  it('stdp: renders its quality, every phase energy per profile, learning against inference, and exports its three charts', async () => {
    const { doc, page, charts } = await runThenReport(STDP, 'stdp');
    // phases: learning (three layers: encoder, neurons, plasticity), labelling and inference
    expect(charts).toEqual(['layer-shares', 'learning-vs-inference', 'phase-energy']);
    const q = doc.brain!.quality as { accuracy: number; silent: number; unlabelledNeurons: number };
    expect(page).toContain(`<td>${percent(q.accuracy)}</td><td>${q.silent}</td><td>${q.unlabelledNeurons}</td>`);
    // every configuration's energy per sample under each profile, one row per profile
    expect(phaseEnergyRows(page, doc)).toHaveLength(doc.configurations.length);
    // learning / inference per sample under a profile that priced both
    const learn = doc.configurations.find((c) => c.labels!.phase === 'learning')!.energy.find((e) => e.profile === 'ann-ideal-reuse-45nm')!.totalJ;
    const infer = doc.configurations.find((c) => c.labels!.phase === 'inference')!.energy.find((e) => e.profile === 'ann-ideal-reuse-45nm')!.totalJ;
    expect(page).toContain(`<td>${(learn / infer).toPrecision(3)}×</td>`);
    for (const r of new Set(doc.configurations.flatMap((c) => c.refused.map((x) => x.reason)))) expect(page).toContain(html(r));
  });

  it('hopfield: its capacity and completion tables, storage and recall energies; a phase priced at 0 J is in the table, not the log-scale chart', async () => {
    const { cwd, doc, page, charts } = await runThenReport(HOPFIELD, 'hop');
    expect(charts).toEqual(['learning-vs-inference', 'phase-energy']); // no phase has more than one layer
    const q = doc.brain!.quality as { capacity: { alpha: number; patterns: number; recalledFraction: number }[]; completion: { model: string; stored: number; accuracy: number }[] };
    for (const c of q.capacity) expect(page).toContain(`<tr><td>${c.alpha.toFixed(3)}</td><td>${c.patterns}</td>`);
    for (const c of q.completion) expect(page).toContain(`<tr><td>${c.model}</td><td>${c.stored}</td><td>${percent(c.accuracy)}</td>`);
    const phases = phaseEnergyRows(page, doc);
    // the modern network's storage writes no weights to price under an ops-only model: 0 J in the table
    expect(doc.configurations.find((c) => c.id.startsWith('modern') && c.labels!.phase === 'storage')!.energy.find((e) => e.profile === 'ops-only-45nm')!.totalJ).toBe(0);
    expect(page).toContain('<td>0 J</td>');
    // one bar per phase × profile with a positive energy (a log axis has no 0)
    const svg = readFileSync(join(cwd, 'hop', 'charts', 'phase-energy.svg'), 'utf8');
    const bars = /<g class="mark-rect role-mark marks"[^>]*>((?:<path[^>]*\/>)*)<\/g>/.exec(svg);
    expect(bars).not.toBeNull();
    expect(bars![1].match(/<path/g)!.length).toBe(phases.flatMap((c) => c.energy.filter((e) => e.totalJ > 0)).length);
  });
});
