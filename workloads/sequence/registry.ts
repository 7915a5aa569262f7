// Sequence-block families by CLI id.
import { InputError } from '../../core/errors.js';
import type { SequenceBlock } from './block.js';
import { blockSparseBlock } from './blocks/block-sparse.js';
import { foxBlock } from './blocks/fox.js';
import { foxAcpBlock } from './blocks/fox-acp.js';
import { gqaBlock, softmaxBlock } from './blocks/softmax.js';
import { stickBreakingBlock } from './blocks/stick-breaking.js';
import { glaBlock } from './blocks/gla.js';
import { landmarkBlock } from './blocks/landmark.js';
import { linearAttentionBlock } from './blocks/linear.js';
import { mambaBlock } from './blocks/mamba.js';
import { mamba2Block } from './blocks/mamba2.js';
import { sdsaBlock } from './blocks/sdsa.js';
import { spikeGptBlock } from './blocks/spikegpt.js';
import { spikformerBlock } from './blocks/spikformer.js';
import { zeroBlock } from './blocks/zero.js';

/** In listing order: dense softmax-family attention, recurrences and state spaces, sparse attention, spiking attention, and the zero-mixer ablation. */
const BLOCKS: readonly SequenceBlock[] = [softmaxBlock, gqaBlock, foxBlock, foxAcpBlock, stickBreakingBlock, linearAttentionBlock, glaBlock, mambaBlock, mamba2Block, blockSparseBlock, landmarkBlock, spikformerBlock, sdsaBlock, spikeGptBlock, zeroBlock];

export const SEQUENCE_BLOCKS: ReadonlyMap<string, SequenceBlock> = new Map(BLOCKS.map((b) => [b.id, b]));

export function getBlock(id: string): SequenceBlock {
  const b = SEQUENCE_BLOCKS.get(id);
  if (!b) throw new InputError(`unknown sequence family "${id}"; known: ${[...SEQUENCE_BLOCKS.keys()].join(', ')}`);
  return b;
}
