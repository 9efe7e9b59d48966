import { inputError } from '@whittle/kernel';
import type { BlockBounds } from '@whittle/graph';

const PREFIX = 'block:';
const ARROW = '→';

/** The score-table key of a block: `block:<from>→<to>`. */
export function blockKey(block: BlockBounds): string {
  return `${PREFIX}${block.from}${ARROW}${block.to}`;
}

/** The block a `blockKey` names, or undefined for other keys (e.g. channel groups of another scorer). */
export function parseBlockKey(key: string): BlockBounds | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const [from, to, ...rest] = key.slice(PREFIX.length).split(ARROW);
  if (from === undefined || to === undefined || rest.length > 0 || from === '' || to === '') {
    throw inputError('SD_BAD_BLOCK_KEY', `score key "${key}" is not block:<from>${ARROW}<to>`, 'Score blocks with the block-redundancy stage.');
  }
  return { from, to };
}
