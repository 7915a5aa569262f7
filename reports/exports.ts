// Exports of a results document for continuous-benchmarking services: github-action-benchmark's
// `customSmallerIsBetter` JSON (energies: smaller is better) and Bencher Metric Format (BMF) JSON
// (energy per profile and accuracy per configuration). Energies are per inference, in joules.
import type { ResultsDoc } from './results.js';
import { qualityMetrics } from './summary.js';

export interface GabEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly extra?: string;
}

/** github-action-benchmark, tool `customSmallerIsBetter`: one entry per configuration × profile. */
export function githubActionBenchmark(doc: ResultsDoc): GabEntry[] {
  return doc.configurations.flatMap((c) =>
    c.energy.map((e) => ({
      name: `${doc.workload.id}/${c.id}/${e.profile}`,
      unit: `J/${energyUnitOf(doc)}`,
      value: e.totalJ,
      extra: `${qualityText(c)} on ${c.ledger.samples} samples; compute ${e.computeJ.toExponential(4)} J, memory ${e.memoryJ.toExponential(4)} J`,
    })),
  );
}

/** What one priced sample is: an inference (image), a generated token (sequence), a sample of the phase (brain). */
export function energyUnitOf(doc: ResultsDoc): string {
  return doc.kind === 'sequence' ? 'token' : doc.kind === 'brain' ? 'sample' : 'inference';
}

/** A configuration's accuracy, or its quality metrics where it has no accuracy. */
export function qualityText(c: ResultsDoc['configurations'][number]): string {
  if (c.accuracy !== null) return `accuracy ${(c.accuracy * 100).toFixed(2)}%`;
  return qualityMetrics(c) ?? 'no quality metric';
}

/** Bencher Metric Format: benchmark = workload/configuration; measures = energy under each profile, and accuracy. */
export function bencherMetricFormat(doc: ResultsDoc): Record<string, Record<string, { value: number }>> {
  const out: Record<string, Record<string, { value: number }>> = {};
  for (const c of doc.configurations) {
    const measures: Record<string, { value: number }> = c.accuracy !== null ? { accuracy: { value: c.accuracy } } : {};
    for (const [k, v] of Object.entries(c.quality ?? {})) measures[k] = { value: v };
    for (const e of c.energy) measures[`energy-${e.profile}`] = { value: e.totalJ };
    out[`${doc.workload.id}/${c.id}`] = measures;
  }
  return out;
}

/** The export files of a results folder (run, seq, brain): benchmark.json and bmf.json. */
export function exportFiles(doc: ResultsDoc): [string, string][] {
  return [
    ['benchmark.json', `${JSON.stringify(githubActionBenchmark(doc), null, 1)}\n`],
    ['bmf.json', `${JSON.stringify(bencherMetricFormat(doc), null, 1)}\n`],
  ];
}
