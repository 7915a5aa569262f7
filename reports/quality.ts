// Whether a run's accuracies mean anything: a classifier near chance accuracy does not do its task on
// this data (wrong dataset, wrong preprocessing), so energy verdicts about it are flagged, not stated.
import type { ResultsDoc } from './results.js';

/**
 * Whether an accuracy is near chance for a task of `classes` classes on n samples: below chance
 * c = 1/K plus the larger of 3 binomial standard errors of a chance-level classifier (3·√(c(1−c)/n))
 * and half of chance — a model that is not significantly better than guessing, or barely — but never
 * above halfway from chance to perfect (c + (1 − c)/2), so that a handful of samples all right is not
 * called chance.
 */
export function nearChance(accuracy: number, classes: number, n: number): boolean {
  const c = 1 / classes;
  return accuracy < c + Math.min(Math.max(3 * Math.sqrt((c * (1 - c)) / Math.max(1, n)), c / 2), (1 - c) / 2);
}

/** The configurations whose accuracy is near chance (nearChance), with the warning the CLI prints for each. */
export function chanceWarnings(doc: ResultsDoc): { readonly configuration: string; readonly warning: string }[] {
  const K = doc.workload.classes;
  if (K === undefined || K < 2) return [];
  return doc.configurations.flatMap((c) =>
    c.accuracy !== null && nearChance(c.accuracy, K, doc.samples)
      ? [{ configuration: c.id, warning: `${c.id}: accuracy ${(c.accuracy * 100).toFixed(2)}% is near chance (${(100 / K).toFixed(2)}% for ${K} classes on ${doc.samples} samples): the model does not do the task on this data (wrong dataset or preprocessing?), so its energy verdicts say nothing; they are flagged` }]
      : [],
  );
}

