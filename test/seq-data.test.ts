// The sequence workloads' data: the Brown corpus as character-level text, and the associative-recall
// generator.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { DEFAULT_RECALL, checkRecall, recallSequence, recallVocab } from '../workloads/sequence/recall.js';
import { StepCounter, addCounts } from '../workloads/sequence/counter.js';
import { countTable } from '../core/ledger.js';
import { CHAR_VOCAB, brownDocuments, brownText, decodeChars, detagBrown, encodeChars, splitOfDocument } from '../workloads/text/brown-corpus.js';

describe('Brown corpus as character-level text', () => {
  it('detags word/tag tokens and restores English spacing and quotes', () => {
    const tagged = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, and/cc it's/pps+bez (/( here/rb )/) ./.\n";
    expect(detagBrown(tagged)).toBe('The jury said "no evidence", and it\'s (here).');
  });

  it('holds the 500 documents, split by document 400 / 50 / 50', () => {
    const docs = brownDocuments();
    expect(docs.length).toBe(500);
    expect(docs[0]).toBe('ca01');
    const counts = { train: 0, validation: 0, test: 0 };
    docs.forEach((_, i) => counts[splitOfDocument(i)]++);
    expect(counts).toEqual({ train: 400, validation: 50, test: 50 });
  });

  it('gives millions of training characters and disjoint held-out text', () => {
    const train = brownText('train');
    const test = brownText('test');
    expect(train.length).toBeGreaterThan(4_000_000);
    expect(test.length).toBeGreaterThan(500_000);
    expect(train.startsWith('The Fulton County Grand Jury said Friday')).toBe(true);
    expect(train.includes(test.slice(0, 200))).toBe(false);
  });

  it('encodes to a 96-symbol vocabulary and decodes back', () => {
    expect(CHAR_VOCAB.length).toBe(96);
    const s = 'Hello, "world"!\n~';
    const ids = encodeChars(s);
    expect(Math.max(...ids)).toBeLessThan(96);
    expect(decodeChars(ids)).toBe(s);
    expect(decodeChars(encodeChars('é'))).toBe('?');
  });
});

describe('associative recall (MQAR with a gap)', () => {
  const SPEC = { keys: 32, values: 32, fillers: 16, pairs: 8, queries: 8 };
  it('lays out pairs, filler and queries whose answers are the stored values', () => {
    const s = SPEC;
    const L = 64;
    const seq = recallSequence(s, L, createRng(5));
    expect(seq.tokens.length).toBe(L + 1);
    const stored = new Map<number, number>();
    for (let p = 0; p < s.pairs; p++) {
      const k = seq.tokens[2 * p];
      const v = seq.tokens[2 * p + 1];
      expect(k).toBeLessThan(s.keys);
      expect(v).toBeGreaterThanOrEqual(s.keys);
      expect(v).toBeLessThan(s.keys + s.values);
      expect(stored.has(k)).toBe(false);
      stored.set(k, v);
    }
    const gap = L + 1 - 2 * s.pairs - 2 * s.queries;
    for (let t = 2 * s.pairs; t < 2 * s.pairs + gap; t++) expect(seq.tokens[t]).toBeGreaterThanOrEqual(s.keys + s.values);
    const scored = [...seq.scored.keys()].filter((t) => seq.scored[t] === 1);
    expect(scored.length).toBe(s.queries);
    for (const t of scored) expect(seq.tokens[t + 1]).toBe(stored.get(seq.tokens[t]));
    expect(recallVocab(s)).toBe(80);
    expect(recallVocab(DEFAULT_RECALL)).toBe(40);
  });

  it('is reproducible from its seed', () => {
    const a = recallSequence(DEFAULT_RECALL, 40, createRng(9));
    const b = recallSequence(DEFAULT_RECALL, 40, createRng(9));
    expect(Array.from(a.tokens)).toEqual(Array.from(b.tokens));
  });

  it('refuses lengths shorter than the pairs and queries', () => {
    expect(() => checkRecall(SPEC, 31)).toThrow(/length 31 must be an integer ≥ 2·pairs \+ 2·queries = 32/);
    expect(() => checkRecall(DEFAULT_RECALL, 15)).toThrow(/length 15 must be an integer ≥ 2·pairs \+ 2·queries = 16/);
    expect(() => checkRecall({ ...SPEC, pairs: 40 }, 200)).toThrow(/pairs \(40\) must not exceed keys \(32\)/);
  });
});

describe('step counter', () => {
  it('adds equal keys and sums like a monoid', () => {
    const c = new StepCounter();
    c.op('mac', 'score', 3);
    c.op('mac', 'score', 4);
    c.read('kv', 10);
    c.write('kv', 2);
    const a = c.take();
    expect(countTable(a)).toEqual({ 'mac/fp32/score': 7, 'kv/read/32': 10, 'kv/write/32': 2 });
    expect(countTable(c.take())).toEqual({});
    const b = addCounts(a, a, { compute: [], memory: [] });
    expect(countTable(b)).toEqual({ 'mac/fp32/score': 14, 'kv/read/32': 20, 'kv/write/32': 4 });
  });
});
