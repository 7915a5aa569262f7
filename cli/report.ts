// `joulebench report <folder>`: (re)renders report.html of a run folder (results.json of any kind: an
// image run, `seq`, `brain`) or a sweep folder (rows.csv), and exports every chart as SVG and PNG
// under charts/ for papers.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { buildCharts } from '../reports/charts.js';
import { exportCharts } from '../reports/chart-export.js';
import { renderReport } from '../reports/html.js';
import { measuredByProfile } from '../claims/measured-file.js';
import { readResultsFile } from '../reports/results-schema.js';
import { renderSweepReport, sweepRows } from '../reports/sweep-report.js';
import { verifySweepFolder } from '../sweeps/run.js';
import { UsageError } from './errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';


/**
 * The sweep's report.html from its rows.csv (used by `sweep` and `merge` when they finish and by
 * `report`): sweep.json, every chunk and rows.csv are checked first, so a damaged folder is one line
 * naming the file, never a report of rows nobody computed.
 */
export function writeSweepReport(dir: string): ReturnType<typeof renderSweepReport> {
  const sweep = verifySweepFolder(dir);
  const records = parseCsv(readFileSync(join(dir, 'rows.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const r = renderSweepReport(sweep.spec.name, sweep.spec.description ?? '', sweepRows(records));
  writeFileAtomic(join(dir, 'report.html'), r.html);
  return r;
}

export async function executeReport(dir: string, images: boolean, out: (line: string) => void): Promise<void> {
  if (!existsSync(dir)) throw new UsageError(`report: ${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`report: ${dir}: is a file, not a folder; give the run or sweep folder that holds it`);
  const resultsPath = join(dir, 'results.json');
  let charts;
  if (existsSync(resultsPath)) {
    const doc = readResultsFile({ path: resultsPath, field: 'report:', what: 'the results.json of a run folder' });
    charts = buildCharts(doc);
    writeFileAtomic(join(dir, 'report.html'), renderReport(doc, measuredByProfile()));
  } else if (existsSync(join(dir, 'sweep.json')) && existsSync(join(dir, 'rows.csv'))) {
    charts = writeSweepReport(dir).charts;
  } else {
    const earlier = ['seq.json', 'brain.json'].find((f) => existsSync(join(dir, f)));
    if (earlier !== undefined) throw new UsageError(`report: ${dir} holds the ${earlier} of an earlier joulebench (before results schema 3); rerun \`joulebench ${earlier === 'seq.json' ? 'seq' : 'brain'} … -o ${dir} --force\` to write its results.json and report`);
    throw new UsageError(`report: ${dir} holds neither a run (results.json of run, seq or brain) nor a finished sweep (sweep.json and rows.csv)`);
  }
  const files = images ? await exportCharts(charts, dir) : [];
  const exported = files.length / 2; // each chart is one .svg and one .png
  const said = files.length > 0 ? ` and ${exported} chart${exported === 1 ? '' : 's'} as SVG and PNG (${files.length} files) under ${join(dir, 'charts')}` : images ? ' (nothing priced to chart)' : '';
  out(`wrote ${join(dir, 'report.html')}${said}`);
}
