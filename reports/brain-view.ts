// Views of a brain model's results document (kind "brain", `joulebench brain <model>`): the model's
// quality (Hopfield capacity and completion, SOM errors, STDP accuracy, the LUT network's bits per
// character and the Spiking Manifesto's tables), the ledger and the energy of each phase under each
// profile, per layer, and what each profile refused. Render only: every number is read off the document.
import type { Ledger } from '../core/ledger.js';
import type { BrainSection, ConfigurationResult, ResultsDoc } from './results.js';
import type { LedgerTraffic } from '../workloads/brain/lut/ledger.js';
import { INDEX_BITS, isLutTable } from '../workloads/brain/lut/ledger.js';
import { ledgerTotals } from '../workloads/brain/phase.js';
import type { LutDerived, LutQuality } from '../workloads/brain/lut/experiment.js';
import type { LutConfig } from '../workloads/brain/lut/network.js';
import type { PUBLISHED, TABLE_I_RNN, TABLE_IV_ANN, TABLE_IV_SNN, tableI, tableIView, tableIvAnn, tableIvSnn, tableIvView } from '../workloads/brain/lut/manifesto.js';
import { formatJ, pct, textTable } from './summary.js';

/** The brain section of `doc`; a document of another kind is a bug of the caller. */
export function brainSection(doc: ResultsDoc): BrainSection {
  if (doc.kind !== 'brain' || doc.brain === undefined) throw new Error(`a ${doc.kind} results document has no brain model`);
  return doc.brain;
}

function configOf(doc: ResultsDoc, id: string): ConfigurationResult {
  const c = doc.configurations.find((x) => x.id === id);
  if (!c) throw new Error(`the results document names configuration ${id} but does not hold it`);
  return c;
}

/** A phase with its priced configuration. */
export interface PhaseView {
  readonly experiment: string;
  readonly phase: string;
  readonly per: string;
  readonly samples: number;
  readonly ledger: Ledger;
  readonly config: ConfigurationResult;
}

export function phaseViews(doc: ResultsDoc): PhaseView[] {
  return brainSection(doc).phases.map((p) => {
    const config = configOf(doc, p.configuration);
    return { ...p, ledger: config.ledger, config };
  });
}

const n0 = (x: number): string => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 1 }));

function count(n: number): string {
  const abs = Math.abs(n);
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [f, u] of units) if (abs >= f) return `${(n / f).toPrecision(3)} ${u}`;
  return Number.isInteger(n) ? String(n) : n.toPrecision(3);
}

/** Ledger per phase: per layer, total ops, memory accesses and the largest op count. */
export function ledgerTable(doc: ResultsDoc, render: typeof textTable = textTable): string {
  const rows = phaseViews(doc).flatMap((p) =>
    p.ledger.layers.map((l) => {
      let ops = 0;
      let acc = 0;
      let top = { what: '–', n: 0 };
      for (const c of l.compute) {
        ops += c.count.mean;
        if (c.count.mean > top.n) top = { what: `${c.op} ${c.purpose}`, n: c.count.mean };
      }
      for (const m of l.memory) acc += m.count.mean;
      return [p.experiment, p.phase, l.name, p.per, String(p.samples), count(ops), count(acc), top.n > 0 ? `${top.what} (${count(top.n)})` : '–'];
    }),
  );
  return render(['experiment', 'phase', 'layer', 'per', 'samples', 'ops', 'memory accesses', 'largest op count'], rows);
}

/** One row per phase × profile that priced it: energy per sample and the phase's total (per sample × samples). */
export function energyTable(doc: ResultsDoc, render: typeof textTable = textTable): string {
  const rows = phaseViews(doc).flatMap((p) => p.config.energy.map((e) => [p.experiment, p.phase, p.per, String(p.samples), e.profile, formatJ(e.totalJ), formatJ(e.totalJ * p.samples)]));
  return render(['experiment', 'phase', 'per', 'samples', 'profile', 'energy per sample', 'phase total'], rows);
}

/** Per-layer energy per sample, for phases with more than one layer (e.g. STDP learning: dynamics vs plasticity); null when none has. */
export function layerEnergyTable(doc: ResultsDoc, render: typeof textTable = textTable): string | null {
  const rows = phaseViews(doc)
    .filter((p) => p.ledger.layers.length > 1)
    .flatMap((p) =>
      p.config.energy.flatMap((e) => {
        const perLayerJ = p.ledger.layers.map(() => 0);
        for (const item of e.items) perLayerJ[item.layerIndex] += item.energyJ;
        return p.ledger.layers.map((l, i) => [p.experiment, p.phase, e.profile, l.name, formatJ(perLayerJ[i]), e.totalJ === 0 ? '–' : pct(perLayerJ[i] / e.totalJ)]);
      }),
    );
  return rows.length === 0 ? null : render(['experiment', 'phase', 'profile', 'layer', 'energy per sample', 'share of phase'], rows);
}

/** Phase names that learn (weights written, patterns stored) and those that use what was learnt. */
const LEARNING_PHASES: readonly string[] = ['learning', 'storage'];
const INFERENCE_PHASES: readonly string[] = ['inference', 'recall'];

/** One experiment's learning phase against its inference phase under one profile, energy per sample of each. */
export interface LearningRatio {
  readonly experiment: string;
  readonly profile: string;
  readonly learning: { readonly phase: string; readonly per: string; readonly energyJ: number };
  readonly inference: { readonly phase: string; readonly per: string; readonly energyJ: number };
  /** learning / inference energy per sample; null when inference costs 0 J under the profile. */
  readonly ratio: number | null;
}

/** Per experiment with a learning and an inference phase, and per profile that priced both: the energy ratio per sample. */
export function learningRatios(doc: ResultsDoc): LearningRatio[] {
  const phases = phaseViews(doc);
  const experiments = [...new Set(phases.map((p) => p.experiment))];
  return experiments.flatMap((experiment) => {
    const learn = phases.find((p) => p.experiment === experiment && LEARNING_PHASES.includes(p.phase));
    const infer = phases.find((p) => p.experiment === experiment && INFERENCE_PHASES.includes(p.phase));
    if (!learn || !infer) return [];
    return doc.profiles.flatMap(({ id: profile }) => {
      const l = learn.config.energy.find((e) => e.profile === profile);
      const i = infer.config.energy.find((e) => e.profile === profile);
      if (!l || !i) return [];
      const learning = { phase: learn.phase, per: learn.per, energyJ: l.totalJ };
      const inference = { phase: infer.phase, per: infer.per, energyJ: i.totalJ };
      return [{ experiment, profile, learning, inference, ratio: i.totalJ > 0 ? l.totalJ / i.totalJ : null }];
    });
  });
}

/** Per profile: the share of counted ops and accesses it left unpriced, and which phases it refused (at most two reasons). */
export function pricingNotes(doc: ResultsDoc): string[] {
  const phases = phaseViews(doc);
  const unpriced: string[] = [];
  const refusals: string[] = [];
  for (const { id } of doc.profiles) {
    let left = 0;
    let total = 0;
    for (const p of phases) {
      const e = p.config.energy.find((x) => x.profile === id);
      if (!e) continue;
      left += e.unpriced.reduce((s, u) => s + u.count, 0) * p.samples;
      const t = ledgerTotals(p.ledger);
      total += (t.ops + t.accesses) * p.samples;
    }
    if (left > 0) unpriced.push(`${id} lists ${pct(left / total)} of the counted ops and memory accesses of the phases it priced as unpriced.`);
    const refused = phases.flatMap((p) => p.config.refused.filter((r) => r.profile === id));
    if (refused.length === 0) continue;
    const reasons = [...new Set(refused.map((r) => r.reason))];
    const which = refused.length === phases.length ? 'every phase' : `${refused.length} of ${phases.length} phases`;
    refusals.push(`${id} refused ${which}: ${reasons.slice(0, 2).join(' | ')}${reasons.length > 2 ? ` (and ${reasons.length - 2} more reasons)` : ''}`);
  }
  return [...unpriced, ...refusals];
}

/** The model's own quality section (text lines and tables). */
export function qualityLines(doc: ResultsDoc, render: typeof textTable = textTable): string[] {
  const b = brainSection(doc);
  if (b.model === 'hopfield') return hopfieldLines(b, render);
  if (b.model === 'som') return somLines(b, render);
  if (b.model === 'stdp') return stdpLines(b, phaseViews(doc), render);
  if (b.model === 'lut') return lutLines(doc, b, phaseViews(doc), render);
  return [`${b.model}: quality ${JSON.stringify(b.quality)}`];
}

/** Everything `joulebench brain` prints, from the document. */
export function brainText(doc: ResultsDoc): string[] {
  const byLayer = layerEnergyTable(doc);
  return [
    ...qualityLines(doc),
    '',
    'Ledger per phase (counts per sample, means):',
    ledgerTable(doc),
    '',
    'Energy per phase (each profile that priced it; refusals below):',
    energyTable(doc),
    ...(byLayer !== null ? ['', 'Energy per layer:', byLayer] : []),
    '',
    ...pricingNotes(doc),
  ];
}

// ---------------------------------------------------------------------------------------------
// Per model (the quality records are written by workloads/brain/plugins.ts)

interface CapacityRow { alpha: number; patterns: number; fixedFraction: number; recalledFraction: number; meanOverlap: number; meanSweeps: number }
interface CompletionRow { model: string; stored: number; accuracy: number; bitError: number; probeBitError: number; meanSweeps: number; meanPairOverlap: number | null }

function hopfieldLines(b: BrainSection, render: typeof textTable): string[] {
  const o = b.options as { units: number; capacityProbes: number; capacityNoise: number; noise: number; probes: number; beta: number };
  const { units, capacityProbes, capacityNoise, noise, probes, beta } = o;
  const dataset = b.dataset;
  const capacity = b.quality.capacity as CapacityRow[];
  const completion = b.quality.completion as CompletionRow[];
  return [
    `Classic Hopfield capacity: N = ${units} units, random ±1 patterns, ${capacityProbes} probes per load (the first stored patterns), recall from ${pct(capacityNoise)} flipped bits; recalled = final overlap ≥ 0.9`,
    render(
      ['P/N', 'P', 'fixed points', 'recalled', 'mean overlap', 'mean sweeps'],
      capacity.map((c) => [c.alpha.toFixed(3), String(c.patterns), pct(c.fixedFraction), pct(c.recalledFraction), c.meanOverlap.toFixed(3), c.meanSweeps.toFixed(1)]),
    ),
    '',
    `Completion of binarised ${dataset} training images (pixel > 0.5 → +1), ${pct(noise)} of the 784 bits flipped, ${probes} probes; accuracy = recalled state strictly nearest (Hamming) to the original among the stored images. Classic capacity 0.138·N = ${(0.138 * 784).toFixed(0)}; modern β = ${beta}, one step.`,
    render(
      ['network', 'stored', 'accuracy', 'bit error after', 'bit error before', 'mean sweeps', 'mean |overlap| between stored'],
      completion.map((c) => [c.model, String(c.stored), pct(c.accuracy), pct(c.bitError), pct(c.probeBitError), c.model === 'classic' ? c.meanSweeps.toFixed(1) : '1 step', c.meanPairOverlap === null ? '–' : c.meanPairOverlap.toFixed(3)]),
    ),
  ];
}

interface SomErrors { quantisationError: number; topographicError: number; accuracy: number; unlabelledUnits: number }

function somLines(b: BrainSection, render: typeof textTable): string[] {
  const q = b.quality as { trained: SomErrors; untrained: SomErrors; meanUnitsUpdated: number; trainSamples: number; testSamples: number; schedule: { alpha0: number; alphaEnd: number; sigma0: number; sigmaEnd: number; cutoff: number } };
  const [rows, cols] = String(b.options.grid).split('x').map(Number);
  const dataset = b.dataset;
  const s = q.schedule;
  const k = q.meanUnitsUpdated;
  const r = { quality: q.trained, untrained: q.untrained, trainSamples: q.trainSamples, testSamples: q.testSamples };
  return [
    `Self-organising map ${rows}×${cols} on ${dataset}: one pass over ${r.trainSamples} training images (seeded order), α ${s.alpha0} → ${s.alphaEnd}, σ ${s.sigma0} → ${s.sigmaEnd} (exponential), Gaussian neighbourhood cut at ${s.cutoff}σ (mean ${k.toFixed(1)} of ${rows * cols} units updated per image); evaluated on ${r.testSamples} test images`,
    render(
      ['map', 'quantisation error', 'topographic error', 'accuracy (majority-labelled units)', 'unlabelled units'],
      [
        ['trained', r.quality.quantisationError.toFixed(3), pct(r.quality.topographicError), pct(r.quality.accuracy), String(r.quality.unlabelledUnits)],
        ['untrained (random init)', r.untrained.quantisationError.toFixed(3), pct(r.untrained.topographicError), pct(r.untrained.accuracy), String(r.untrained.unlabelledUnits)],
      ],
    ),
  ];
}

function stdpLines(b: BrainSection, phases: readonly PhaseView[], render: typeof textTable): string[] {
  const q = b.quality as { accuracy: number; silent: number; unlabelledNeurons: number; classNeurons: number[]; meanPresentations: { learning: number; inference: number }; trainSamples: number; labelSamples: number; testSamples: number; params: { intensityHz: number } };
  const dataset = b.dataset;
  const { neurons, steps } = b.options as { neurons: number; steps: number };
  const params = q.params;
  const phase = (name: string) => phases.find((p) => p.phase === name)!;
  const r = { ...q, learning: phase('learning'), inference: phase('inference') };
  const act = (p: PhaseView, layer: number) => p.ledger.layers[layer].activity;
  return [
    `STDP (Diehl & Cook style) on ${dataset}: ${neurons} adaptive LIF neurons with lateral inhibition, 784 Poisson inputs (≤ ${params.intensityHz} Hz), ${steps} ms per image at dt = 1 ms; unsupervised learning on ${r.trainSamples} training images (one pass), neurons labelled on the next ${r.labelSamples}, tested on ${r.testSamples} test images`,
    render(
      ['accuracy', 'silent test images', 'unlabelled neurons', 'neurons per class 0…9', 'input spikes / image (learn, test)', 'neuron spikes / image (learn, test)', 'presentations / image (learn, test)'],
      [
        [
          pct(r.accuracy),
          String(r.silent),
          String(r.unlabelledNeurons),
          r.classNeurons.join(' '),
          `${act(r.learning, 1).inputEvents.mean.toFixed(0)}, ${act(r.inference, 1).inputEvents.mean.toFixed(0)}`,
          `${act(r.learning, 1).outputEvents.mean.toFixed(1)}, ${act(r.inference, 1).outputEvents.mean.toFixed(1)}`,
          `${r.meanPresentations.learning.toFixed(3)}, ${r.meanPresentations.inference.toFixed(3)}`,
        ],
      ],
    ),
  ];
}

/** One row per phase: the table traffic per sample in words and in rows, and the op counts. */
function trafficRow(name: string, per: string, t: LedgerTraffic): string[] {
  return [name, per, n0(t.words), n0(t.lutRowWords), n0(t.rows), n0(t.indexWords), n0(t.gatherWords), n0(t.cmp), n0(t.ac), n0(t.exp)];
}


/** A ledger layer's counts in explicit units (keys of core/ledger.ts countTable: op/numeric bits/purpose, operand/action/bits). */
function lutLedgerRows(phase: string, ledger: Ledger): string[][] {
  return ledger.layers.map((l) => {
    const lut = isLutTable(l);
    const sum = (f: (k: { op?: string; purpose?: string; operand?: string; action?: string }) => boolean) =>
      l.compute.filter((c) => f({ op: c.op, purpose: c.purpose })).reduce((s, c) => s + c.count.mean, 0) + l.memory.filter((m) => f({ operand: m.operand, action: m.action })).reduce((s, m) => s + m.count.mean, 0);
    return [
      phase,
      l.name,
      n0(sum((k) => k.op === 'cmp')),
      n0(sum((k) => k.op === 'index')),
      n0(lut ? sum((k) => k.operand === 'input' && k.action === 'read') : 0),
      n0(lut ? l.activity.outputEvents.mean : 0),
      n0(sum((k) => k.operand === 'lut_row' && k.action === 'read')),
      n0(sum((k) => k.operand === 'lut_row' && k.action === 'write')),
      n0(sum((k) => k.operand === 'index' && k.action === 'read')),
      n0(sum((k) => k.operand === 'index' && k.action === 'write')),
      n0(sum((k) => k.op === 'ac')),
      n0(sum((k) => k.op === 'mac')),
      n0(sum((k) => k.op === 'exp')),
      n0(sum((k) => k.action === 'write')),
    ];
  });
}


/** The LUT model's quality record (workloads/brain/plugins.ts). */
interface LutQualityRecord extends LutQuality {
  readonly variant: string;
  readonly config: LutConfig;
  readonly derived: LutDerived;
  readonly manifesto: {
    readonly tableI: { readonly params: typeof TABLE_I_RNN; readonly reproduced: ReturnType<typeof tableI>; readonly published: (typeof PUBLISHED)['tableI']; readonly memoryView: ReturnType<typeof tableIView> };
    readonly tableIV: {
      readonly snnParams: typeof TABLE_IV_SNN;
      readonly annParams: typeof TABLE_IV_ANN;
      readonly snn: ReturnType<typeof tableIvSnn>;
      readonly ann: ReturnType<typeof tableIvAnn>;
      readonly published: { readonly snn: (typeof PUBLISHED)['tableIvSnn']; readonly ann: (typeof PUBLISHED)['tableIvAnn'] };
      readonly memoryView: ReturnType<typeof tableIvView>;
    };
  };
}

function lutLines(doc: ResultsDoc, b: BrainSection, phases: readonly PhaseView[], render: typeof textTable): string[] {
  const q = b.quality as unknown as LutQualityRecord;
  const cfg = q.config;
  const d = q.derived;
  const variant = q.variant;
  return [
    `Izhikevich look-up-table network (${variant}): context ${cfg.context}, n = ${cfg.dim}, ${cfg.layers} layers × (${[cfg.heads > 0 ? `${cfg.heads} attention heads` : '', cfg.ffn ? 'FFN' : ''].filter((x) => x).join(' + ')}), n_t = ${cfg.tables} tables per LUT, n_c = ${cfg.comparisons} anchor pairs${cfg.heads > 0 ? `, p = ${cfg.posBits} positional bits (attention index ${2 * cfg.comparisons + cfg.posBits} bits)` : ''}, vocabulary ${cfg.vocab} characters`,
    `Trained by main.c's surrogate-gradient SGD on ${n0(q.trainSteps)} random windows of the Brown corpus train split (${n0(q.trainTokens)} predicted characters), lr warm-up ${cfg.warmupSteps} steps; held out: the ${q.split} split.`,
    '',
    'Quality: bits per character (lower is better) on held-out text',
    render(
      ['model', `bpc, ${n0(q.evaluatedTokens)} chars in blocks of ${cfg.context} (0–${cfg.context - 1} chars of context)`, `bpc at full context (${cfg.context - 1} chars), ${n0(q.fullContextTokens)} windows`, 'training loss, first → last tenth'],
      [
        ['LUT network', q.bpc.toFixed(3), q.fullContextBpc.toFixed(3), `${q.trainCurve[0].toFixed(3)} → ${q.trainCurve[q.trainCurve.length - 1].toFixed(3)}`],
        ['unigram (add-one, train split)', q.unigramBpc.toFixed(3), '–', '–'],
        ['bigram (add-one, train split)', q.bigramBpc.toFixed(3), '–', '–'],
      ],
    ),
    '',
    `Footprint: ${n0(d.footprint.total)} words (32-bit) = ${n0(d.footprint.tableWords)} table words + ${n0(d.footprint.embedWords)} embedder + ${n0(d.footprint.peWords)} positional-encoding parameters (${((d.footprint.total * 4) / 2 ** 20).toFixed(1)} MiB).`,
    'Traffic per sample (means). Units: words = 32-bit words except index words (16-bit); rows = table rows (a row is y_dim words); gathers = x[a], x[b] reads; cmp = anchor compares; AC = float adds',
    render(
      ['phase', 'per', 'memory words (all)', 'lut_row words read', 'rows read', 'index words', 'gather words', 'cmp', 'AC', 'EXP'],
      [trafficRow('learning', 'training token', d.traffic.learning), trafficRow('inference', 'evaluated token', d.traffic.inference), trafficRow('generation', 'generated char (window recomputed)', d.traffic.generation)],
    ),
    '',
    `Table use over the ${n0(q.evaluatedTokens)} evaluated characters (dead rows = never read; entropy of the row hits per table, mean over tables, against log2(rows))`,
    render(
      ['LUT', 'rows (all tables)', 'distinct rows touched', 'dead rows', 'hit entropy (bits)', 'max (bits)'],
      d.tableUse.map((u) => [u.name, n0(u.rows), n0(u.distinctRows), pct(u.deadFraction), u.entropyBits.toFixed(2), u.maxEntropyBits.toFixed(0)]),
    ),
    '',
    `LUT ledger per layer and phase, per sample (cmp, index ops: counts; gathers, row words, writes: 32-bit words; index r/w: ${INDEX_BITS}-bit words; rows: table rows)`,
    render(
      ['phase', 'layer', 'cmp', 'index ops', 'gathers', 'rows read', 'row words read', 'row words written', 'index read', 'index write', 'AC', 'MAC', 'EXP', 'all writes'],
      phases.flatMap((p) => lutLedgerRows(p.phase, p.ledger)),
    ),
    '',
    ...manifestoLines(doc, render),
  ];
}

/** Table I and IV from their formulas, joulebench's counts of the same layers, and their energy per profile. */
function manifestoLines(doc: ResultsDoc, render: typeof textTable): string[] {
  const m = (brainSection(doc).quality as unknown as LutQualityRecord).manifesto;
  const t1 = m.tableI.reproduced;
  const s4 = m.tableIV.snn;
  const a4 = m.tableIV.ann;
  const P = { tableI: m.tableI.published, tableIvSnn: m.tableIV.published.snn, tableIvAnn: m.tableIV.published.ann };
  const { n, nT, nC, p, nInp } = m.tableIV.snnParams;
  const aff = (c: number, k: number) => `${n0(c)} + ${n0(k)}·n_inp`;
  const v1 = m.tableI.memoryView;
  const v4 = m.tableIV.memoryView;
  const extra = brainSection(doc).extra.map((x) => ({ name: x.name, config: configOf(doc, x.configuration) }));
  const reasons = new Map<string, string[]>();
  const energyRows = doc.profiles.map(({ id }) => [
    id,
    ...extra.map(({ config }) => {
      const e = config.energy.find((x) => x.profile === id);
      if (!e) {
        const why = config.refused.find((r) => r.profile === id)?.reason ?? 'not priced';
        reasons.set(id, [...new Set([...(reasons.get(id) ?? []), why])]);
        return 'refused';
      }
      return formatJ(e.totalJ);
    }),
  ]);
  return [
    `Spiking Manifesto (Izhikevich, arXiv:2512.11843) Table I and Table IV from their formulas. Table IV's SNN column is reproduced by n = ${n}, n_t = ${nT}, n_c = ${nC}, p = ${p}, n_inp = ${nInp}; ANN column d = ${m.tableIV.annParams.d}, d_ff = ${m.tableIV.annParams.dff}, h = ${m.tableIV.annParams.h}.`,
    render(
      ['table', 'quantity', 'formula', 'manifesto', 'reproduced'],
      [
        ['I (spiking RNN)', 'footprint (words)', 'n_t·2^n_c·n', '4M', n0(t1.footprint)],
        ['I (spiking RNN)', 'bandwidth per token (words)', '2·n_t·n_c + n_t·n', '5.4K', n0(t1.bandwidth)],
        ['IV SNN layer', 'footprint (words)', 'n_t·2^(2n_c+p)·n + n_t·2^n_c·n', n0(P.tableIvSnn.footprint), n0(s4.footprint)],
        ['IV SNN layer', 'compute (all n_inp² pairs)', 'n_inp²·n_t·n + n_inp·n_t·n + n_inp·2·n_t·n_c', n0(P.tableIvSnn.compute), n0(s4.compute)],
        ['IV SNN layer', 'compute (causal pairs, as main.c)', 'n_inp(n_inp−1)/2·n_t·n + …', '–', n0(s4.computeCausal)],
        ['IV SNN layer', 'bandwidth per new token (row = 1 access)', '2·n_t·n_c + n_inp·(n_t + 2·n_t)', aff(P.tableIvSnn.bandwidth.constant, P.tableIvSnn.bandwidth.perInput), `${aff(s4.bandwidth.constant, s4.bandwidth.perInput)} = ${n0(s4.bandwidth.value)}`],
        ['IV ANN layer', 'footprint (words)', '4d² + 2·d·d_ff', n0(P.tableIvAnn.footprint), n0(a4.footprint)],
        ['IV ANN layer', 'compute', 'n_inp·(12d² + 4·d·d_ff) + n_inp²·d (our fit)', n0(P.tableIvAnn.compute), n0(a4.compute)],
        ['IV ANN layer', 'bandwidth per new token', '4d² + n_inp·(d + d/h) (d/h: our fit)', aff(P.tableIvAnn.bandwidth.constant, P.tableIvAnn.bandwidth.perInput), `${aff(a4.bandwidth.constant, a4.bandwidth.perInput)} = ${n0(a4.bandwidth.value)}`],
      ],
    ),
    `Ratios: compute ANN/SNN ${(a4.compute / s4.compute).toFixed(0)}× (${(a4.compute / s4.computeCausal).toFixed(0)}× with causal pairs); bandwidth ANN/SNN ${(a4.bandwidth.value / s4.bandwidth.value).toFixed(0)}× at n_inp = ${nInp} with rows as one access, ${(a4.bandwidth.value / v4.words).toFixed(0)}× in words; footprint SNN/ANN ${(s4.footprint / a4.footprint).toFixed(2)}× (the SNN layer holds more).`,
    '',
    'Memory-inclusive view: the same layers in joulebench ledgers (inference rules of the LUT workload), table traffic with a row as one access vs in 32-bit words (indices 16-bit)',
    render(
      ['layer', 'manifesto', 'unit', 'accesses (row = 1)', 'words (row = n words)', 'all memory words', 'bytes', 'rows', 'cmp', 'AC'],
      [
        ['Table I RNN LUT', n0(v1.paper), 'words', n0(v1.accesses), n0(v1.words), n0(v1.allWords), n0(v1.bytes), n0(v1.traffic.rows), n0(v1.traffic.cmp), n0(v1.traffic.ac)],
        ['Table IV attention LUT', n0(v4.paper), 'accesses', n0(v4.accesses), n0(v4.words), n0(v4.allWords), n0(v4.bytes), n0(v4.traffic.rows), n0(v4.traffic.cmp), n0(v4.traffic.ac)],
      ],
    ),
    `(Table I counts n_t·n row words, so it agrees with the words column; Table IV counts a row of n = ${n} words as one access, ${(v4.words / v4.accesses).toFixed(1)}× fewer than the words a memory delivers. 'all memory words' adds the index-cache write and the residual read-modify-write.)`,
    '',
    'Energy of those layers per token under each profile (the ledgers above; refusals below):',
    render(['profile', ...extra.map((l) => l.name)], energyRows),
    ...[...reasons].map(([id, rs]) => `${id} refused: ${rs.slice(0, 2).join(' | ')}`),
  ];
}
