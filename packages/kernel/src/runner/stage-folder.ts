import type { StageInfo } from '../hooks/stage-types.js';

/** `stages/02-prune-l1-uniform`: where a stage's artifacts and checkpoint live, relative to the output folder. */
export function stageFolder(stage: Pick<StageInfo, 'index' | 'hook' | 'plugin'>): string {
  const slug = `${stage.hook}-${stage.plugin}`.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `stages/${String(stage.index).padStart(2, '0')}-${slug}`;
}
