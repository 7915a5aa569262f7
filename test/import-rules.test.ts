// The import rules of ARCHITECTURE.md are enforced by dependency-cruiser (.dependency-cruiser.cjs,
// `npm run lint:deps` in `npm test`). These tests run the same configuration through
// dependency-cruiser's API: on the real tree nothing but the known violations (and every known
// violation still occurs, so a removed back-edge cannot silently come back), and on a copy of the
// tree with deliberate back-edges each one is reported under the rule it breaks.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise } from 'dependency-cruiser';
import type { ICruiseResult, IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOT = resolve(import.meta.dirname, '..');
/** The source folders the configuration checks (its includeOnly); `study` once it exists. */
const FOLDERS = ['cli', 'core', 'harness', 'workloads', 'cost-models', 'reports', 'claims', 'sweeps', 'bench', 'study'].filter((f) => existsSync(join(ROOT, f)));
const CONFIG = '.dependency-cruiser.cjs';
const KNOWN = '.dependency-cruiser-known-violations.json';

/** The baseline file: violations as `depcruise --output-type baseline` writes them. */
type IBaselineViolations = IViolation[];

const key = (v: Pick<IViolation, 'rule' | 'from' | 'to'>): string => `${v.rule.name}: ${v.from} → ${v.to}`;

/** Cruises `root` with the project's configuration and known violations, as `npm run lint:deps` does. */
async function cruiseTree(root: string): Promise<{ errors: string[]; ignored: string[] }> {
  const options = await extractDepcruiseOptions(join(root, CONFIG));
  const knownViolations = JSON.parse(readFileSync(join(root, KNOWN), 'utf8')) as IBaselineViolations;
  const tsConfig = extractTSConfig(join(root, 'tsconfig.json'));
  const result = await cruise(['.'], { ...options, baseDir: root, knownViolations }, {}, { tsConfig });
  const output = result.output as ICruiseResult;
  const violations = output.summary.violations;
  return {
    errors: violations.filter((v) => v.rule.severity !== 'ignore').map(key).sort(),
    ignored: violations.filter((v) => v.rule.severity === 'ignore').map(key).sort(),
  };
}

const known = (): string[] => (JSON.parse(readFileSync(join(ROOT, KNOWN), 'utf8')) as IBaselineViolations).map(key).sort();

describe('import rules (dependency-cruiser)', () => {
  it('the real tree has no violation but the known ones, and every known one still occurs', async () => {
    const { errors, ignored } = await cruiseTree(ROOT);
    expect(errors).toEqual([]);
    expect(ignored, 'a known violation is gone: run `npm run lint:deps:baseline` and commit the smaller list with the change that removed it').toEqual(known());
  });

  describe('a copy of the tree with deliberate back-edges', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'joulebench-import-rules-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(tmp, path)), { recursive: true });
      writeFileSync(join(tmp, path), text);
    };

    it('reports each new back-edge under its rule, and none of the allowed imports', async () => {
      for (const f of [...FOLDERS, CONFIG, KNOWN, 'tsconfig.json', 'package.json']) {
        cpSync(join(ROOT, f), join(tmp, f), { recursive: true });
      }
      symlinkSync(join(ROOT, 'node_modules'), join(tmp, 'node_modules'), 'dir');

      // Forbidden: each line names the rule it breaks.
      write('harness/zz-prices.ts', "import { totalEnergyJ } from '../cost-models/energy.js';\nexport const f = totalEnergyJ;\n");
      write('harness/zz-renders.ts', "import type { ResultsDoc } from '../reports/results.js';\nexport type D = ResultsDoc;\n");
      write('harness/zz-upstream.ts', "import { WORKLOADS } from '../workloads/registry.js';\nexport const w = WORKLOADS;\n");
      write('cost-models/zz-harness-type.ts', "import type { Model } from '../harness/model.js';\nexport type M = Model;\n");
      write('core/zz-harness.ts', "import { layerGeometry } from '../harness/layers.js';\nexport const g = layerGeometry;\n");
      write('workloads/zz-prices.ts', "import { costModelFor } from '../cost-models/registry.js';\nexport const c = costModelFor;\n");
      write('sweeps/zz-cli.ts', "import { main } from '../cli/main.js';\nexport const m = main;\n");
      write('core/zz-a.ts', "import { b } from './zz-b.js';\nexport const a = (): number => b() + 1;\n");
      write('core/zz-b.ts', "import { a } from './zz-a.js';\nexport const b = (): number => a() - 1;\n");
      // A new runtime edge from a file that already has known violations is still new.
      appendFileSync(join(tmp, 'reports/results.ts'), "import '../cost-models/constants.js';\n");
      // Allowed: reports may name cost-model and claims types; drivers use everything but cli.
      write('reports/zz-types.ts', "import type { CostModel } from '../cost-models/model.js';\nimport type { Claim } from '../claims/schema.js';\nexport type T = [CostModel, Claim];\n");
      write('sweeps/zz-driver.ts', "import { costModelFor } from '../cost-models/registry.js';\nimport { layerGeometry } from '../harness/layers.js';\nexport const d = [costModelFor, layerGeometry];\n");
      write('cost-models/zz-core.ts', "import type { Ledger } from '../core/ledger.js';\nimport { shapeSize } from '../core/geometry.js';\nexport const s = (l: Ledger): number => shapeSize(l.layers[0].geometry.inputShape);\n");

      const { errors, ignored } = await cruiseTree(tmp);
      expect(errors).toEqual(
        [
          'core-depends-on-core-only: core/zz-harness.ts → harness/layers.ts',
          'cost-models-not-to-harness: cost-models/zz-harness-type.ts → harness/model.ts',
          'harness-not-to-cost-models-or-reports: harness/zz-prices.ts → cost-models/energy.ts',
          'harness-not-to-cost-models-or-reports: harness/zz-renders.ts → reports/results.ts',
          'harness-not-upstream: harness/zz-upstream.ts → workloads/registry.ts',
          'no-circular: core/zz-a.ts → core/zz-b.ts', // a cycle is reported once
          'nothing-to-cli: sweeps/zz-cli.ts → cli/main.ts',
          'reports-render-only: reports/results.ts → cost-models/constants.ts',
          'workloads-not-to-cost-models: workloads/zz-prices.ts → cost-models/registry.ts',
        ].sort(),
      );
      expect(ignored, 'the known violations, and only those, are ignored').toEqual(known());
    });
  });
});
