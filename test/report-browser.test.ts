// Opens a generated report.html in a real browser (Debian chromium via playwright-core): the charts
// render as SVG, the page makes no network request and logs no error.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_RUN, cli, tempDir } from './cli-helpers.js';

const CHROMIUM = process.env.JOULEBENCH_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '..', 'test-artifacts');

let browser: Browser;
let reportPath: string;

beforeAll(async () => {
  const cwd = tempDir('browser');
  const r = cli([...SMALL_RUN, '-o', 'run'], cwd);
  if (r.code !== 0) throw new Error(`joulebench run failed: ${r.stderr}`);
  reportPath = join(cwd, 'run', 'report.html');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('report.html in chromium', () => {
  it('renders every chart as SVG with marks, offline, without errors', async () => {
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
    await page.goto(pathToFileURL(reportPath).href);
    await page.waitForFunction(() => document.body.dataset.charts === 'rendered' || document.body.dataset.charts === 'failed', null, { timeout: 60_000 });
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('rendered');
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.vis')].map((el) => ({ id: el.dataset.chart, svg: el.querySelectorAll('svg').length, marks: el.querySelectorAll('svg .mark-rect path, svg .mark-symbol path, svg .mark-text text').length })),
    );
    expect(charts.map((c) => c.id)).toEqual(['energy-per-layer', 'totals', 'accuracy-energy']);
    for (const c of charts) {
      expect(c.svg, c.id).toBe(1);
      expect(c.marks, c.id).toBeGreaterThan(0);
    }
    // totals: one visible bar per configuration × cost model (3 × 2) on the log axis
    const barHeights = await page.evaluate(() => [...document.querySelectorAll<SVGGraphicsElement>('#chart-totals svg .mark-rect path')].map((p) => p.getBBox().height));
    expect(barHeights).toHaveLength(6);
    for (const h of barHeights) expect(h).toBeGreaterThan(1);
    const text = await page.locator('body').innerText();
    for (const s of ['ann-dense', 'snn-if-T4', 'snn-if-T8', 'ops-only-45nm', 'lemaire-2022', 'horowitz-45nm/fp32-mac', 'Effective_ACs']) expect(text).toContain(s);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  });
});
