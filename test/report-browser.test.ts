/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Opens a generated report.html in a real browser (Debian chromium via playwright-core): the charts
// render as SVG, the page makes no network request and logs no error.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../harness/onnx/export.js';
import { getWorkload } from '../workloads/registry.js';
import { SMALL_RUN, isolatedCache, runCli, tempDir } from './cli-helpers.js';

const CHROMIUM = process.env.JOULEBENCH_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '..', 'test-artifacts');

let browser: Browser;
let reportPath: string;
let sweepReportPath: string;
let seqReportPath: string;
let studyReportPath: string;
let brainReportPath: string;
let cwd: string;

const SWEEP = `version: 1
name: browser-sweep
description: MLP as ANN and SNN over T, two cost models
workload:
  fixed: { workload: mnist-mlp, samples: 200, calibration-samples: 500 }
  zip: { backend: [ann-dense, snn, snn, snn], timesteps: [null, 4, 8, 16] }
hardware:
  grid: { profile: [ops-only-45nm, lemaire-2022] }
`;

const SEQ_SWEEP = `version: 1
name: browser-seq
description: two block families over context length, tiny models
workload:
  fixed: { workload: sequence, task: text, d: 16, heads: 2, layers: 1, steps: 2, samples: 1 }
  grid: { family: [softmax, linear], context-length: [8, 32, 64] }
hardware:
  grid: { profile: [ann-ideal-reuse-45nm, eyeriss-rs-65nm] }
`;

const SEQ_STUDY = ['seq', '-f', 'softmax', 'spikegpt', '-c', 'ops-only-45nm', 'ann-ideal-reuse-45nm', 'lemaire-2022', '--text-steps', '3', '--recall-steps', '3', '--batch', '2', '--context', '16', '--d', '16', '--heads', '2', '--layers', '1', '--mlp-width', '16', '--eval-windows', '2', '--recall-sequences', '2', '--recall-lengths', '16', '24', '--recall-train-lengths', '16', '--lengths', '16', '64', '256', '-q'];
const BRAIN_STDP = ['brain', 'stdp', '--neurons', '4', '--train', '10', '--label', '10', '--test', '10', '--steps', '50', '-c', 'ops-only-45nm', 'ann-ideal-reuse-45nm', 'eyeriss-rs-65nm', 'lemaire-2022', 'loihi', '-q'];

beforeAll(async () => {
  cwd = tempDir('browser');
  const r = await runCli([...SMALL_RUN, '-o', 'run'], cwd);
  if (r.code !== 0) throw new Error(`joulebench run failed: ${r.stderr}`);
  reportPath = join(cwd, 'run', 'report.html');
  writeFileSync(join(cwd, 'sweep.yaml'), SWEEP);
  const s = await runCli(['sweep', 'sweep.yaml', '-o', 'sweep', '-q'], cwd);
  if (s.code !== 0) throw new Error(`joulebench sweep failed: ${s.stderr}`);
  sweepReportPath = join(cwd, 'sweep', 'report.html');
  writeFileSync(join(cwd, 'seq.yaml'), SEQ_SWEEP);
  const q = await runCli(['sweep', 'seq.yaml', '-o', 'seq', '-q'], cwd, { JOULEBENCH_CACHE: isolatedCache() });
  if (q.code !== 0) throw new Error(`joulebench sweep (sequence) failed: ${q.stderr}`);
  seqReportPath = join(cwd, 'seq', 'report.html');
  // a sequence study and a brain model write report.html themselves (results.json of kind sequence / brain)
  const st = await runCli([...SEQ_STUDY, '-o', 'study'], cwd, { JOULEBENCH_CACHE: isolatedCache() });
  if (st.code !== 0) throw new Error(`joulebench seq failed: ${st.stderr}`);
  studyReportPath = join(cwd, 'study', 'report.html');
  const br = await runCli([...BRAIN_STDP, '-o', 'brain'], cwd);
  if (br.code !== 0) throw new Error(`joulebench brain failed: ${br.stderr}`);
  brainReportPath = join(cwd, 'brain', 'report.html');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a report in chromium, waits for its charts, and records console errors, warnings and any network request. */
async function openReport(path: string, { fit = true } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) requests.push(req.url());
  });
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction(() => document.body.dataset.charts === 'rendered' || document.body.dataset.charts === 'failed', null, { timeout: 60_000 });
  expect(await page.evaluate(() => document.body.dataset.charts)).toBe('rendered');
  // every chart is one SVG that (unless told otherwise) fits the page's column: no horizontal scrolling
  const charts = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.vis')].map((el) => ({ id: el.dataset.chart!, svg: el.querySelectorAll('svg').length, width: el.querySelector('svg')?.getBoundingClientRect().width ?? 0, box: el.clientWidth, scroll: el.scrollWidth })));
  for (const c of charts) {
    expect(c.svg, c.id).toBe(1);
    if (fit) {
      expect(c.width, c.id).toBeLessThanOrEqual(c.box);
      expect(c.scroll, c.id).toBeLessThanOrEqual(c.box);
    }
  }
  if (fit) {
    // the page itself never scrolls sideways at 1,280 px, and no element is wider than its container
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    const wide = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.parentElement && el.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1).map((el) => el.tagName + (el.className && typeof el.className === 'string' ? `.${el.className}` : '')));
    expect(wide).toEqual([]);
  }
  // no two tick labels of one axis overlap (vega's labelOverlap drops the ones that would); rotated
  // category labels are left out (their bounding boxes overlap where the glyphs do not)
  const overlaps = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.vis')) {
      for (const axis of el.querySelectorAll('g.role-axis')) {
        const labels = [...axis.querySelectorAll<SVGTextElement>('g.role-axis-label text')].filter((t) => t.textContent !== '' && !(t.getAttribute('transform') ?? '').includes('rotate') && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0').map((t) => ({ text: t.textContent!, r: t.getBoundingClientRect() }));
        for (let i = 0; i < labels.length; i++) {
          for (let j = i + 1; j < labels.length; j++) {
            const a = labels[i].r;
            const b = labels[j].r;
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(`${el.dataset.chart}: "${labels[i].text}" / "${labels[j].text}"`);
          }
        }
      }
    }
    return out;
  });
  expect(overlaps).toEqual([]);
  const count = (selector: string) => page.locator(selector).count();
  /** The page shows each of `texts`, logged nothing and asked the network for nothing; its screenshot goes to test-artifacts/`shot`. */
  const finish = async (shot: string, texts: readonly string[]) => {
    const text = await page.locator('body').innerText();
    for (const t of texts) expect(text).toContain(t);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
    await page.close();
  };
  return { page, charts: charts.map((c) => c.id), count, finish };
}

describe('report.html in chromium', () => {
  it('renders every chart as SVG with marks, offline, without errors, inside the 1,200 px column', async () => {
    const { page, finish } = await openReport(reportPath);
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.vis')].map((el) => ({ id: el.dataset.chart, svg: el.querySelectorAll('svg').length, marks: el.querySelectorAll('svg .mark-rect path, svg .mark-symbol path, svg .mark-text text').length })),
    );
    expect(charts.map((c) => c.id)).toEqual(['energy-per-layer', 'totals', 'accuracy-energy', 'break-even', 'tornado']);
    for (const c of charts) {
      expect(c.svg, c.id).toBe(1);
      expect(c.marks, c.id).toBeGreaterThan(0);
    }
    // totals: one visible bar per configuration × cost model (3 × 2) on the log axis
    const barHeights = await page.evaluate(() => [...document.querySelectorAll<SVGGraphicsElement>('#chart-totals svg .mark-rect path')].map((p) => p.getBBox().height));
    // one visible bar per priced configuration × cost model (refused pairs have no bar)
    const doc = JSON.parse(readFileSync(join(cwd, 'run', 'results.json'), 'utf8')) as { configurations: { energy: unknown[] }[]; analysis: { settings: { pairs: unknown[] } } };
    expect(barHeights).toHaveLength(doc.configurations.reduce((n, c) => n + c.energy.length, 0));
    for (const h of barHeights) expect(h).toBeGreaterThan(1);
    // the break-even chart labels each observed σ and the σ*; the accuracy chart labels every point
    const labels = (id: string) => page.evaluate((chart) => [...document.querySelectorAll(`#chart-${chart} svg g.mark-text.role-mark text`)].map((t) => t.textContent ?? ''), id);
    expect((await labels('break-even')).filter((t) => t.startsWith('σ* ')).length).toBeGreaterThan(0);
    expect((await labels('break-even')).filter((t) => /^σ \d/.test(t)).length).toBeGreaterThan(0);
    expect(await labels('accuracy-energy')).toContain('snn-if-T8');
    // the first screen (1,280 × 800) holds the answer: one verdict sentence per pair of profiles and the summary's ratio columns
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const first = await page.evaluate(() => ({
      sentences: [...document.querySelectorAll('ul.answer li')].map((li) => ({ text: li.textContent ?? '', bottom: li.getBoundingClientRect().bottom })),
      ratioHeaders: [...document.querySelectorAll('table.summary th')].filter((th) => (th.textContent ?? '').startsWith('E_SNN/E_ANN')).map((th) => th.getBoundingClientRect().bottom),
      firstRow: document.querySelector('table.summary tbody tr')?.getBoundingClientRect().bottom ?? Infinity,
    }));
    expect(first.sentences).toHaveLength(doc.analysis.settings.pairs.length);
    for (const s of first.sentences) {
      expect(s.text).toMatch(/the SNN uses \d+\.\d{3}× the ANN's energy \(\d+\.\d{3}–\d+\.\d{3}× over every constant's range, P\(SNN cheaper\) \d+\.\d%\): (SNN cheaper|ANN cheaper|uncertain)\./);
      expect(s.bottom).toBeLessThanOrEqual(800);
    }
    expect(first.ratioHeaders).toHaveLength(doc.analysis.settings.pairs.length);
    for (const b of first.ratioHeaders) expect(b).toBeLessThanOrEqual(800);
    expect(first.firstRow).toBeLessThanOrEqual(800);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-first-screen.png') });
    await finish('report.png', ['Verdict', 'E_SNN/E_ANN', 'ann-dense', 'snn-if-T4', 'snn-if-T8', 'ops-only-45nm', 'lemaire-2022', 'horowitz-45nm/fp32-mac', 'Effective_ACs']);
  });

  it('renders the sweep report: energy vs T, energy vs σ with the ANN line, Pareto front (labelled), profiles', async () => {
    const { page, finish } = await openReport(sweepReportPath);
    const marks = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.vis')].map((el) => [el.dataset.chart, el.querySelectorAll('svg .mark-symbol path, svg .mark-rect path, svg .mark-rule line, svg .mark-line path').length]));
    expect(marks.map((m) => m[0])).toEqual(['energy-vs-t', 'energy-vs-sigma', 'pareto', 'profiles']);
    for (const [, n] of marks) expect(n).toBeGreaterThan(0);
    // one dashed dense-ANN line per hardware point in the σ chart
    expect(await page.locator('#chart-energy-vs-sigma svg g.mark-rule.role-mark line').count()).toBe(2);
    // every σ point carries its T; every point of the Pareto front its configuration
    const texts = (id: string) => page.evaluate((chart) => [...document.querySelectorAll(`#chart-${chart} svg g.mark-text.role-mark text`)].map((t) => t.textContent ?? ''), id);
    expect((await texts('energy-vs-sigma')).sort()).toEqual(['T16', 'T16', 'T4', 'T4', 'T8', 'T8']);
    expect((await texts('pareto')).length).toBeGreaterThan(0);
    await finish('sweep-report.png', ['browser-sweep']);
  });
});

describe('sequence sweep report in chromium', () => {
  it('renders energy per token and quality against context length per family', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(seqReportPath).href);
    await page.waitForFunction(() => document.body.dataset.charts === 'rendered' || document.body.dataset.charts === 'failed', null, { timeout: 60_000 });
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('rendered');
    const charts = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.vis')].map((el) => el.dataset.chart));
    expect(charts).toContain('energy-vs-context');
    expect(charts).toContain('quality-vs-context');
    expect(charts).not.toContain('pareto'); // bits per character is no accuracy: no accuracy–energy front
    // one line per family in each of the two hardware panels
    expect(await page.locator('#chart-energy-vs-context svg g.mark-line.role-mark path').count()).toBe(4);
    expect(await page.locator('#chart-quality-vs-context svg g.mark-line.role-mark path').count()).toBe(2);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'sequence-sweep-report.png'), fullPage: true });
    await page.close();
  });
});

describe('sequence study and brain model reports in chromium', () => {
  it('seq: the answer, quality, energy per token vs L (one line per family and profile that priced it), cache share, quality vs energy', async () => {
    const { charts, count, finish } = await openReport(studyReportPath);
    expect(charts).toEqual(['energy-vs-context', 'cache-share-vs-context', 'quality-vs-energy']);
    // softmax, spikegpt and the zero-mixer ablation (the quality floor) under ops-only-45nm and ann-ideal-reuse-45nm; lemaire-2022 refuses them
    expect(await count('#chart-energy-vs-context svg g.mark-line.role-mark path')).toBe(6);
    expect(await count('#chart-energy-vs-context svg g.mark-symbol.role-mark path')).toBe(18); // 3 lengths each
    expect(await count('#chart-cache-share-vs-context svg g.mark-line.role-mark path')).toBe(3); // ops-only prices no memory
    expect(await count('#chart-quality-vs-energy svg g.mark-symbol.role-mark path')).toBe(12); // 3 families × 2 profiles × 2 metrics
    await finish('seq-report.png', ['Answer', 'cheapest per token at L = 256', 'bits/char', 'recall L=24', 'spikegpt', 'snn', 'lemaire-2022', 'refused']);
  });

  it('brain (stdp): quality, energy per phase (one bar per phase and profile that priced it), layer shares, learning vs inference', async () => {
    const { charts, count, finish } = await openReport(brainReportPath);
    expect(charts).toEqual(['phase-energy', 'layer-shares', 'learning-vs-inference']);
    const doc = JSON.parse(readFileSync(join(cwd, 'brain', 'results.json'), 'utf8')) as { configurations: { energy: { totalJ: number }[] }[] };
    expect(await count('#chart-phase-energy svg g.mark-rect.role-mark path')).toBe(doc.configurations.reduce((n, c) => n + c.energy.filter((e) => e.totalJ > 0).length, 0));
    expect(await count('#chart-layer-shares svg g.mark-rect.role-mark path')).toBeGreaterThan(0);
    expect(await count('#chart-learning-vs-inference svg g.mark-symbol.role-mark path')).toBe(4); // ops-only, ideal reuse, eyeriss, loihi price learning and inference
    await finish('brain-report.png', ['Quality', 'accuracy', 'Energy per sample of each phase', 'Learning against inference', 'plasticity', 'lemaire-2022', 'refused']);
  });
});

describe('joulebench report', () => {
  it('exports every chart the report shows, as SVG and PNG, each PNG holding its whole legend', async () => {
    const r = await runCli(['report', 'run'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const shown = [...readFileSync(join(cwd, 'run', 'report.html'), 'utf8').matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(['energy-per-layer', 'totals', 'accuracy-energy', 'break-even', 'tornado']);
    expect(r.stdout).toContain(`and ${shown.length} charts as SVG and PNG (${2 * shown.length} files)`);
    const files = readdirSync(join(cwd, 'run', 'charts')).sort();
    expect(files).toEqual(shown.flatMap((id) => [`${id}.png`, `${id}.svg`]).sort());
    const doc = JSON.parse(readFileSync(join(cwd, 'run', 'results.json'), 'utf8')) as { profiles: { id: string }[] };
    for (const id of shown) {
      const svg = readFileSync(join(cwd, 'run', 'charts', `${id}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg, id).not.toContain('…'); // no legend label or header truncated
      const [, w, h] = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
      const png = readFileSync(join(cwd, 'run', 'charts', `${id}.png`));
      expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // the PNG is the whole SVG at 2×: legend included
      expect(png.readUInt32BE(16), id).toBeGreaterThanOrEqual(2 * w);
      expect(png.readUInt32BE(20), id).toBeGreaterThanOrEqual(2 * h);
    }
    // the legends hold every name in full: the profiles of the totals chart, the categories of the stacked one
    const totals = readFileSync(join(cwd, 'run', 'charts', 'totals.svg'), 'utf8');
    for (const p of doc.profiles) expect(totals).toContain(`>${p.id}</text>`);
    expect(readFileSync(join(cwd, 'run', 'charts', 'energy-per-layer.svg'), 'utf8')).toContain('>memory: weight</text>');
  });
  it('refuses a folder that holds neither a run nor a sweep', async () => {
    const r = await runCli(['report', '.'], tempDir('empty'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report: \. holds neither a run \(results.json of run, seq or brain\) nor a finished sweep/);
  });
  it('names the rerun for a seq.json or brain.json of an earlier joulebench (before results schema 3)', async () => {
    const cwd = tempDir('old-seq');
    writeFileSync(join(cwd, 'seq.json'), '{"schema":"joulebench-seq/1"}');
    const r = await runCli(['report', '.'], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.stderr).toMatch(/report: \. holds the seq\.json of an earlier joulebench \(before results schema 3\); rerun `joulebench seq … -o \. --force`/);
  });
});

describe('names from user files in reports', () => {
  it('are shown as text, never run: an ONNX model whose file and layer names are markup', async () => {
    const evil = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    const base = getWorkload('mnist-mlp').prepare(() => {}).model;
    const model = { ...base, layers: base.layers.map((l, i) => ({ ...l, name: i === 0 ? evil : `${l.name}<b>bold</b>` })) };
    const dir = tempDir('xss');
    const file = join(dir, '<img src=x onerror=alert(1)>.onnx');
    writeFileSync(file, exportOnnx(model));
    const r = await runCli(['run', '--onnx', file, '-n', '20', '-T', '4', '--calibration-samples', '100', '-o', 'out', '-q'], dir);
    expect(r.code, r.stderr).toBe(0);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(pathToFileURL(join(dir, 'out', 'report.html')).href);
    await page.waitForFunction(() => document.body.dataset.charts === 'rendered' || document.body.dataset.charts === 'failed', null, { timeout: 60_000 });
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('rendered');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    const text = await page.locator('body').innerText();
    expect(text).toContain(evil);
    expect(text).toContain('onnx:<img src=x onerror=alert(1)>');
    expect(await page.locator('b').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
