import { inputError } from '@whittle/kernel';

/** The split of one layer: a share of output channels on the LUT core in [0, 1], or `auto` (the balancing scan). */
export type SplitRatio = number | 'auto';

/** What the design assigns one GEMM layer: LUT-core weight and activation bits, and the split. */
export interface LayerPolicy {
  readonly weightBits: number;
  readonly activationBits: number;
  readonly ratio: SplitRatio;
}

/** Bits the LUT core's bit-serial datapath and the fake quantizer support. */
export const MIN_BITS = 2;
export const MAX_BITS = 8;

/** Parses `W4A4` (weights 4, activations 4), case-insensitive. */
export function parseUniformBits(text: string, where = '--bits'): { weightBits: number; activationBits: number } {
  const match = /^W(\d)A(\d)$/i.exec(text.trim());
  const weightBits = Number(match?.[1]);
  const activationBits = Number(match?.[2]);
  if (match === null || !inBits(weightBits) || !inBits(activationBits)) {
    throw inputError('N3H_BAD_BITS', `${where}: ${JSON.stringify(text)} is not W<w>A<a> with bits from ${MIN_BITS} to ${MAX_BITS}`, 'Write e.g. W4A4 or W8A8.');
  }
  return { weightBits, activationBits };
}

function inBits(bits: number): boolean {
  return Number.isInteger(bits) && bits >= MIN_BITS && bits <= MAX_BITS;
}

/** Checks one layer's policy, naming `where` (e.g. `policy.json: layers["conv1"]`). */
export function checkLayerPolicy(value: unknown, where: string): LayerPolicy {
  const hint = `Each layer is { "weightBits": ${MIN_BITS}..${MAX_BITS}, "activationBits": ${MIN_BITS}..${MAX_BITS}, "ratio": 0..1 or "auto" }.`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw inputError('N3H_BAD_POLICY', `${where} is not an object`, hint);
  const record = value as Record<string, unknown>;
  for (const key of ['weightBits', 'activationBits'] as const) {
    const bits = record[key];
    if (typeof bits !== 'number' || !inBits(bits)) throw inputError('N3H_BAD_POLICY', `${where}.${key} must be an integer from ${MIN_BITS} to ${MAX_BITS}, got ${JSON.stringify(bits)}`, hint);
  }
  const ratio = record['ratio'] ?? 'auto';
  if (ratio !== 'auto' && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
    throw inputError('N3H_BAD_POLICY', `${where}.ratio must be a number in [0, 1] or "auto", got ${JSON.stringify(ratio)}`, hint);
  }
  return { weightBits: record['weightBits'] as number, activationBits: record['activationBits'] as number, ratio };
}

/**
 * A policy file: `{ "layers": { "<layer name>": { "weightBits", "activationBits", "ratio" } } }` —
 * what the `fpga-n3h` deploy target and the search write. Every GEMM layer of the model must be named.
 */
export function parsePolicy(json: unknown, layerNames: readonly string[], where: string): Map<string, LayerPolicy> {
  if (typeof json !== 'object' || json === null || typeof (json as Record<string, unknown>)['layers'] !== 'object') {
    throw inputError('N3H_BAD_POLICY', `${where}: expected { "layers": { "<layer>": { … } } }`, 'Write the policy the fpga-n3h deploy target or `whittle fpga --json` writes.');
  }
  const layers = (json as { layers: Record<string, unknown> }).layers;
  const policy = new Map<string, LayerPolicy>();
  for (const name of layerNames) {
    if (!(name in layers)) throw inputError('N3H_BAD_POLICY', `${where}: no entry for layer "${name}"`, `Give every GEMM layer: ${layerNames.join(', ')}.`);
    policy.set(name, checkLayerPolicy(layers[name], `${where}: layers["${name}"]`));
  }
  const extra = Object.keys(layers).filter((name) => !layerNames.includes(name));
  if (extra.length > 0) throw inputError('N3H_BAD_POLICY', `${where}: layers ${extra.map((n) => `"${n}"`).join(', ')} are not GEMM layers of the model`, `The GEMM layers are: ${layerNames.join(', ')}.`);
  return policy;
}
