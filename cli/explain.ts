// `joulebench explain <profile>` and `joulebench import-energy-table <csv>`.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { energyTableYaml } from '../cost-models/energy-table.js';
import { explainProfile } from '../cost-models/explain.js';
import { getProfile } from '../cost-models/registry.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { rethrowInputError } from '../core/errors.js';
import { UsageError } from './errors.js';
import { checkOutputFile } from './output-dir.js';

export function executeExplain(profile: string, out: (text: string) => void): void {
  let p;
  try {
    p = getProfile(profile);
  } catch (e) {
    rethrowInputError(e, '');
  }
  out(explainProfile(p));
}

export interface ImportArgs {
  readonly file: string;
  readonly id?: string;
  readonly source?: string;
  readonly evidence?: string;
  readonly range: number;
  readonly out?: string;
  readonly force: boolean;
}

export function executeImportEnergyTable(a: ImportArgs, out: (text: string) => void): void {
  if (!existsSync(a.file)) throw new UsageError(`${a.file}: no such file`);
  if (a.evidence !== undefined && !['P', 'S', 'I'].includes(a.evidence)) throw new UsageError(`--evidence must be P, S or I, got ${a.evidence}`);
  if (!(a.range >= 0 && a.range < 1)) throw new UsageError(`--range must be a fraction in [0, 1), e.g. 0.2 for ±20%, got ${a.range}`);
  if (a.out !== undefined) checkOutputFile(a.out, a.force, '--out'); // before parsing: a bad path wastes no work
  const id = a.id ?? basename(a.file).replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  let yaml: string;
  try {
    yaml = energyTableYaml(readFileSync(a.file, 'utf8'), a.file, { id, ...(a.source ? { source: a.source } : {}), ...(a.evidence ? { evidence: a.evidence as 'P' | 'S' | 'I' } : {}), rangeFraction: a.range });
  } catch (e) {
    rethrowInputError(e, '');
  }
  if (a.out === undefined) {
    out(yaml.trimEnd());
    return;
  }
  writeFileAtomic(a.out, yaml);
  out(`wrote ${a.out}: table ${id}; bind its constants in a profile with tables: [${basename(a.out)}] and constants: { role: ${id}/<name> }`);
}
