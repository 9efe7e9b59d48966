/**
 * The six stage hooks, in the order a compression pipeline usually runs them. A pipeline may use any
 * of them, in any order, any number of times.
 */
export const STAGE_HOOKS = ['score', 'prune', 'recover', 'distill', 'quantize', 'deploy'] as const;

export type StageHookName = (typeof STAGE_HOOKS)[number];

export function isStageHookName(value: unknown): value is StageHookName {
  return typeof value === 'string' && (STAGE_HOOKS as readonly string[]).includes(value);
}
