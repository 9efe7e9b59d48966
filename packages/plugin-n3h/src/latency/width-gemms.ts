import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups, type LayerOperations } from '@whittle/graph';
import type { GemmLayer } from '../workload/gemm-layer.js';

interface GroupShare {
  readonly group: string;
  readonly channels: number;
}

/**
 * The model's GEMM layers at any dependency-group widths: N scales with the layer's produced groups
 * (kept / all channels), K with the groups it reads; rounded to whole channels (at least 1). What
 * `latency-knapsack` asks a latency model at each candidate width.
 */
export function gemmsAtWidths(model: tf.LayersModel, gemms: readonly GemmLayer[], ops: LayerOperations): (widths: ReadonlyMap<string, number>) => GemmLayer[] {
  const produced = new Map<string, GroupShare[]>();
  const read = new Map<string, GroupShare[]>();
  for (const group of dependencyGroups(model, ops)) {
    for (const member of group.members) {
      const table = member.role === 'producer' ? produced : member.role === 'consumer' ? read : undefined;
      if (table === undefined) continue;
      const list = table.get(member.layer) ?? [];
      if (!list.some((g) => g.group === group.id)) list.push({ group: group.id, channels: group.channels });
      table.set(member.layer, list);
    }
  }
  const share = (shares: readonly GroupShare[] | undefined, widths: ReadonlyMap<string, number>): number => {
    if (shares === undefined || shares.length === 0) return 1;
    const all = shares.reduce((s, g) => s + g.channels, 0);
    const kept = shares.reduce((s, g) => s + Math.min(widths.get(g.group) ?? g.channels, g.channels), 0);
    return kept / all;
  };
  return (widths) => gemms.map((gemm) => {
    const name = gemm.name.split('#')[0] as string;
    return { ...gemm, n: Math.max(1, Math.round(gemm.n * share(produced.get(name), widths))), k: Math.max(1, Math.round(gemm.k * share(read.get(name), widths))) };
  });
}
