// The folder a run writes (results.json, energy.csv, report.html, manifest.json and the exports) and
// its manifest: shared by every path of `joulebench run` (built-in and ONNX workloads, NIR graphs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, hostname, platform, release, arch } from 'node:os';
import { join } from 'node:path';
import { packageRoot, packageVersion } from '../core/paths.js';
import { analysisSummary, pairKeys } from '../reports/analysis.js';
import { energyCsv } from '../reports/csv.js';
import { exportFiles } from '../reports/exports.js';
import { renderReport } from '../reports/html.js';
import { measuredByProfile } from '../claims/measured-file.js';
import type { ResultsDoc } from '../reports/results.js';
import { TERMINAL_WIDTH, summaryRows, textTable, wrapText } from '../reports/summary.js';
import { writeRunFolder } from './output-dir.js';

/** The commit of a joulebench run from its git checkout; null when installed (an enclosing repository's commit is not ours). */
function gitCommit(): string | null {
  if (!existsSync(join(packageRoot, '.git'))) return null;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

/** manifest.json of a run: when, which joulebench, which host, the arguments, and what the run adds (seeds, timings). */
export function runManifest(a: object, started: Date, extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    createdAt: started.toISOString(),
    joulebench: { version: packageVersion(), commit: gitCommit() },
    host: { hostname: hostname(), platform: platform(), release: release(), arch: arch(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    argv: process.argv.slice(2),
    arguments: a,
    ...extra,
  };
}

/** Writes a run folder (results.json, energy.csv, report.html, manifest.json and the exports) and returns its summary text. */
export function writeRun(out: string, doc: ResultsDoc, manifest: Record<string, unknown>, force: boolean): string {
  const files = new Map<string, string>([
    ['results.json', `${JSON.stringify(doc, null, 1)}\n`],
    ['energy.csv', energyCsv(doc)],
    ['report.html', renderReport(doc, measuredByProfile())],
    ['manifest.json', `${JSON.stringify(manifest, null, 2)}\n`],
    ...exportFiles(doc),
  ]);
  writeRunFolder(out, 'run', files, force);
  return runSummaryText(doc);
}

/** The terminal summary of a run: pairs of profiles by short keys (a legend first), every table within 100 columns. */
export function runSummaryText(doc: ResultsDoc): string {
  const { label, legend } = pairKeys(doc);
  const s = summaryRows(doc, (snnProfile, annProfile) => `E_SNN/E_ANN ${label(snnProfile, annProfile)}`);
  return [legend.length > 0 ? `pairs of profiles: ${legend.join('; ')}` : '', textTable(s.headers, s.rows), analysisSummary(doc, label)].filter((x) => x !== '').map((x) => (x.includes('\n') ? x : wrapText(x, TERMINAL_WIDTH, '  '))).join('\n\n');
}

