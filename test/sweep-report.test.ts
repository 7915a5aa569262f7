// The sweep report pairs SNN energies with the ANN they are compared with, as `run` pairs profiles.
import { describe, expect, it } from 'vitest';
import { MAX_PANELS, paretoFront, pairedPanels, sweepRows } from '../reports/sweep-report.js';

const row = (workload: string, configuration: string, profile: string, node: string, energy: string, accuracy = '0.9', timesteps = '') => ({
  workload,
  configuration,
  timesteps,
  accuracy,
  spikes_per_synapse: '0.5',
  profile,
  'param.nodeNm': node,
  status: energy === '' ? 'refused' : 'ok',
  energy_j: energy,
  note: '',
});

describe('sweep report pairing', () => {
  const rows = sweepRows([
    row('w', 'ann-dense', 'both', '', '10'),
    row('w', 'snn-if-T4', 'both', '', '5', '0.8', '4'),
    row('w', 'ann-dense', 'ann-only', '45', '20'),
    row('w', 'snn-if-T4', 'ann-only', '45', ''),
    row('w', 'ann-dense', 'snn-only', '45', ''),
    row('w', 'snn-if-T4', 'snn-only', '45', '7', '0.8', '4'),
    row('w', 'ann-dense', 'ann-only', '7', '2'),
    row('w', 'snn-if-T4', 'snn-only', '7', '1', '0.8', '4'),
  ]);
  it('pairs a profile that prices both families with itself, and SNN-only with ANN-only profiles at the same parameters', () => {
    const p = pairedPanels(rows);
    expect([...new Set(p.snn.map((r) => r.panel))]).toEqual(['both', 'snn-only vs ann-only nodeNm=45', 'snn-only vs ann-only nodeNm=7']);
    expect(p.ann).toEqual([
      { panel: 'both', workload: 'w', energyJ: 10 },
      { panel: 'snn-only vs ann-only nodeNm=45', workload: 'w', energyJ: 20 },
      { panel: 'snn-only vs ann-only nodeNm=7', workload: 'w', energyJ: 2 },
    ]);
    expect(p.snn.find((r) => r.panel === 'snn-only vs ann-only nodeNm=7')!.energyJ).toBe(1);
  });
  it('shows at most MAX_PANELS panels', () => {
    const many = sweepRows(Array.from({ length: 20 }, (_, i) => [row('w', 'ann-dense', `p${i}`, '', '10'), row('w', 'snn-if-T4', `p${i}`, '', '5', '0.8', '4')]).flat());
    expect(new Set(pairedPanels(many).snn.map((r) => r.panel)).size).toBe(MAX_PANELS);
  });
  it('finds the Pareto front within each hardware point', () => {
    const front = paretoFront(rows);
    // at 'both': the ANN (0.9, 10 J) and the SNN (0.8, 5 J) — neither dominates the other
    expect(rows.filter((r) => r.hardware === 'both').every((r) => front.has(r))).toBe(true);
  });
});
