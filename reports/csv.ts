// energy.csv: one row per configuration × profile × layer × component × operand × action × level.
import { stringify } from 'csv-stringify/sync';
import type { ResultsDoc } from './results.js';

export const ENERGY_CSV_COLUMNS = [
  'configuration', 'backend', 'timesteps', 'accuracy', 'profile', 'layer', 'component', 'operand', 'action', 'level', 'count', 'energy_j',
] as const;

export function energyCsv(doc: ResultsDoc): string {
  const rows: (string | number)[][] = [];
  for (const c of doc.configurations) {
    for (const e of c.energy) {
      for (const i of e.items) {
        rows.push([c.id, c.backend.id, c.backend.timesteps, c.accuracy ?? '', e.profile, i.layer, i.component, i.operand, i.action, i.level, i.count, i.energyJ]);
      }
    }
  }
  return stringify(rows, { header: true, columns: [...ENERGY_CSV_COLUMNS] });
}
