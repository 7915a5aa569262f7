// Issue 17: hostile inputs. Property: every parser, validator and CLI command either succeeds or
// refuses with an InputError (CLI: exit 2, one stderr line `joulebench: error: …`, nothing written);
// never another exception, never a hang, never a partial output folder, never a non-finite or
// negative energy or count in what is written, never a user's file touched.
//
// CI (default): a fixed seed, sized to run in well under 3 minutes on 2 cores. Larger:
//   JOULEBENCH_FUZZ=large npx vitest run test/fuzz          (≥ 10,000 malformed inputs)
//   JOULEBENCH_FUZZ_SEED=123 …  another seed;   JOULEBENCH_FUZZ_ONLY=onnx,cli …  some formats only
//   JOULEBENCH_FUZZ_RUNS=0.2 …  scale the case counts
// A failing format prints its seed, the fast-check replay path and the shrunk counterexample; the
// table of cases per format and failures by kind goes to stdout and test-artifacts/fuzz-summary.md.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignOptions } from './harness.js';
import { LARGE, SEED, campaign, selected, summary } from './harness.js';
import { claimsFormat, energyTableFormat, hardwareFormat, literatureFormat, measuredFormat, modelCacheFormat, onnxFormat, profileFormat, resultsFormat, sweepFormat, tableFormat } from './formats.js';
import { cliCampaigns } from './cli-campaign.js';
import type { Seeds } from './seeds.js';
import { buildSeeds } from './seeds.js';

const TIMEOUT = LARGE ? 3_600_000 : 240_000;
let seeds: Seeds;

beforeAll(async () => {
  seeds = await buildSeeds();
}, 240_000);

afterAll(() => {
  const md = summary.write();
  console.log(`\n${md}`);
  if (seeds && process.env.JOULEBENCH_FUZZ_KEEP === undefined) rmSync(seeds.root, { recursive: true, force: true });
});

async function expectNoFailures(make: (s: Seeds) => CampaignOptions<never> | CampaignOptions<unknown>): Promise<void> {
  const report = await campaign(make(seeds) as CampaignOptions<unknown>);
  if (report.length > 0) console.log(report.join('\n\n'));
  expect(report, `fuzz seed ${SEED}:\n${report.join('\n\n')}`).toEqual([]);
}

const formats: [string, (s: Seeds) => CampaignOptions<never> | CampaignOptions<unknown>][] = [
  ['results.json', resultsFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['claims.yaml', claimsFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['sweep.yaml', sweepFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['profile.yaml', profileFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['constant table (tech/*.yaml)', tableFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['energy table (CSV)', energyTableFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['hardware description (Accelergy/Timeloop YAML)', hardwareFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['onnx', onnxFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['literature.yaml', literatureFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['measured.yaml', measuredFormat as (s: Seeds) => CampaignOptions<unknown>],
];

describe('fuzz: parsers and validators (in process)', () => {
  for (const [name, make] of formats) {
    it.skipIf(!selected(name))(`${name}: success or one-line InputError; accepted documents yield finite, non-negative numbers`, () => expectNoFailures(make), TIMEOUT);
  }
  it.skipIf(!selected('model cache'))('model cache (models/*.json): a damaged entry is retrained, never read as other weights', async () => {
    const opts = modelCacheFormat(seeds);
    if (opts === null) return; // no trained mnist-mlp entry of the current format to start from
    await expectNoFailures(() => opts as CampaignOptions<unknown>);
  }, TIMEOUT);
});

describe('fuzz: the CLI (main(argv, io) in process, one temp folder and cache per case)', () => {
  for (const [name, make] of cliCampaigns) {
    it.skipIf(!selected(name))(`${name}: exit 0, or exit 2 with one \`joulebench: error:\` line and nothing written; user files untouched; outputs complete with finite numbers`, () => expectNoFailures(make), TIMEOUT);
  }
});
