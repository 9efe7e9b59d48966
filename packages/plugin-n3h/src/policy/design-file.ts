import { readFile } from 'node:fs/promises';
import { inputError } from '@whittle/kernel';
import { checkHardwarePoint, REFERENCE_HARDWARE, type HardwarePoint } from '../hardware/hardware-point.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { checkLayerPolicy, parsePolicy, parseUniformBits, type LayerPolicy, type SplitRatio } from './layer-policy.js';

/**
 * A fixed FPGA design for the `fpga-n3h` latency model (what `latency-knapsack` prunes against):
 * `{ "hardware": { "Dk": 128, … }, "bits": "W4A4", "ratio": "auto", "edgeBits": 8 }`, or with
 * `"policy": { "layers": { "<layer>": { … } } }` instead of `bits`. A layer the policy does not name
 * (a pruned model keeps names, so normally none) uses `bits`.
 */
export interface DesignFile {
  readonly hardware: HardwarePoint;
  readonly bits: { readonly weightBits: number; readonly activationBits: number };
  readonly ratio: SplitRatio;
  /** Bits of the first and last GEMM layers (N3H keeps them at 8). */
  readonly edgeBits: number | undefined;
  readonly policy: ReadonlyMap<string, LayerPolicy> | undefined;
}

export const DEFAULT_DESIGN: DesignFile = { hardware: REFERENCE_HARDWARE, bits: { weightBits: 8, activationBits: 8 }, ratio: 'auto', edgeBits: 8, policy: undefined };

export function checkDesign(json: unknown, where: string): DesignFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw inputError('N3H_BAD_DESIGN', `${where} is not a JSON object`, 'Write { "hardware": { "Dk": 128, … }, "bits": "W4A4" }.');
  const record = json as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !['hardware', 'bits', 'ratio', 'edgeBits', 'policy', 'board'].includes(k));
  if (unknown.length > 0) throw inputError('N3H_BAD_DESIGN', `${where}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}`, 'Fields: hardware, bits, ratio, edgeBits, policy, board.');
  const hardware = record['hardware'] === undefined ? REFERENCE_HARDWARE : checkHardwarePoint(record['hardware'] as Record<string, unknown>, `${where}: hardware`);
  const bits = record['bits'] === undefined ? DEFAULT_DESIGN.bits : parseUniformBits(String(record['bits']), `${where}: bits`);
  const ratio = checkLayerPolicy({ ...bits, ratio: record['ratio'] ?? 'auto' }, where).ratio;
  const edge = record['edgeBits'];
  if (edge !== undefined && edge !== null && !(typeof edge === 'number' && Number.isInteger(edge) && edge >= 2 && edge <= 8)) {
    throw inputError('N3H_BAD_DESIGN', `${where}: edgeBits must be an integer from 2 to 8 or null, got ${JSON.stringify(edge)}`, 'Use 8 (as N3H) or null for the same bits as the other layers.');
  }
  const policyJson = record['policy'];
  const policy = policyJson === undefined ? undefined : new Map(Object.entries((policyJson as { layers?: Record<string, unknown> }).layers ?? {}).map(([name, value]) => [name, checkLayerPolicy(value, `${where}: policy.layers["${name}"]`)]));
  return { hardware, bits, ratio, edgeBits: edge === null ? undefined : ((edge as number | undefined) ?? 8), policy };
}

export async function readDesignFile(path: string): Promise<DesignFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw inputError('N3H_DESIGN_FILE', `cannot read the FPGA design file ${path}: ${(error as Error).message}`, 'Give the design JSON (fpga-n3h reads it from latency-knapsack\'s "latencyTable").', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw inputError('N3H_DESIGN_FILE', `${path} is not JSON: ${(error as Error).message}`, 'Fix the JSON.', error);
  }
  return checkDesign(json, path);
}

/** The policy of each layer under a design: the policy file's entry, else the uniform bits (8 on the edge layers when `edgeBits` says so). */
export function designPolicy(design: DesignFile): (layer: GemmLayer) => LayerPolicy {
  return (layer) => {
    const named = design.policy?.get(layer.name);
    if (named !== undefined) return named;
    if (layer.edge && design.edgeBits !== undefined) return { weightBits: design.edgeBits, activationBits: design.edgeBits, ratio: design.ratio };
    return { ...design.bits, ratio: design.ratio };
  };
}

export { parsePolicy };
