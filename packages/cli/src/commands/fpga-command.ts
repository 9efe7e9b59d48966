import { readFile } from 'node:fs/promises';
import { selectBackend } from '@whittle/engine';
import { inputError, loadPluginManifests, PluginRegistry } from '@whittle/kernel';
import { loadModel } from '@whittle/model-io';
import {
  boardNamed, describeOverrun, evaluateDesign, formatDesign, formatHardwarePoint, modelGemms, n3hLayerOperations, parseHardwarePoint, parsePolicy, parseUniformBits,
  policyTable, REFERENCE_HARDWARE, checkHardwarePoint, type GemmLayer, type HardwarePoint, type LayerPolicy, type SplitRatio,
} from '@whittle/plugin-n3h';
import type { CliIo } from '../cli-io.js';

export interface FpgaCommandOptions {
  readonly board?: string;
  readonly hw?: string;
  readonly bits?: string;
  readonly edgeBits?: number;
  readonly policy?: string;
  readonly ratio?: string;
  readonly allowOversized?: boolean;
  readonly json?: boolean;
  readonly plugin?: readonly string[];
}

/** `--ratio auto` or a share of output channels on the LUT core in [0, 1]. */
function parseRatio(text: string): SplitRatio {
  if (text === 'auto') return 'auto';
  const n = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 1)) throw inputError('N3H_BAD_RATIO', `--ratio: ${JSON.stringify(text)} is not "auto" or a number in [0, 1]`, 'Write --ratio auto (the balancing scan per layer) or e.g. --ratio 0.5.');
  return n;
}

/** A policy file: `{ "layers": { … } }` (fpga-policy.json, n3h-policy.json) or a design `{ "hardware", "policy": { "layers" } }`; its hardware if it has one. */
async function readPolicyFile(path: string, layerNames: readonly string[]): Promise<{ policy: Map<string, LayerPolicy>; hardware: HardwarePoint | undefined }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw inputError('N3H_POLICY_FILE', `--policy ${path}: ${(error as Error).message}`, 'Give a policy JSON, e.g. the fpga-policy.json a run writes or a search\'s best-policy.json.', error);
  }
  const record = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const layers = record['layers'] === undefined && typeof record['policy'] === 'object' ? record['policy'] : json;
  const hardware = record['hardware'] === undefined ? undefined : checkHardwarePoint(record['hardware'] as Record<string, unknown>, `--policy ${path}: hardware`);
  return { policy: parsePolicy(layers, layerNames, `--policy ${path}`), hardware };
}

/**
 * `whittle fpga <model.json> [--board xc7z020] [--hw Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048]
 * [--bits W4A4 | --policy policy.json] [--ratio auto|0..1] [--json]`: the model on N3H-Core's DSP + LUT
 * GEMM cores (@whittle/plugin-n3h): per GEMM layer M, K, N, bits, split, each core's cycles and ms; the
 * total, the same model DSP-only and LUT-only, and the resources against the board. A design that
 * does not fit the board is refused (exit 2, naming the resource and by how much) unless
 * `--allow-oversized`. `--bits` sets every layer, the first and last too unless `--edge-bits`.
 */
export async function fpgaCommand(modelJson: string, options: FpgaCommandOptions, io: CliIo): Promise<void> {
  if (options.bits !== undefined && options.policy !== undefined) throw inputError('N3H_BITS_AND_POLICY', '--bits and --policy both given', 'Give one: --bits W4A4 for every layer, or --policy FILE per layer.');
  const board = boardNamed(options.board ?? 'xc7z020');
  const uniform = parseUniformBits(options.bits ?? 'W8A8', '--bits');
  if (options.edgeBits !== undefined && !(options.edgeBits >= 2 && options.edgeBits <= 8)) throw inputError('N3H_BAD_BITS', `--edge-bits must be from 2 to 8, got ${options.edgeBits}`, 'N3H runs the first and last layers at 8 bits: --edge-bits 8.');
  const ratio = options.ratio === undefined ? undefined : parseRatio(options.ratio);
  const hwOption = options.hw === undefined ? undefined : parseHardwarePoint(options.hw, '--hw');
  await selectBackend('cpu');
  const registry = new PluginRegistry(await loadPluginManifests(options.plugin ?? [], process.cwd()));
  const model = await loadModel(modelJson);
  try {
    const gemms = modelGemms(model, n3hLayerOperations(registry.layers));
    const file = options.policy === undefined ? undefined : await readPolicyFile(options.policy, gemms.map((g) => g.name));
    const hardware = hwOption ?? file?.hardware ?? REFERENCE_HARDWARE;
    const policyOf = (layer: GemmLayer): LayerPolicy => {
      const named = file?.policy.get(layer.name);
      if (named !== undefined) return ratio === undefined ? named : { ...named, ratio };
      const bits = layer.edge && options.edgeBits !== undefined ? { weightBits: options.edgeBits, activationBits: options.edgeBits } : uniform;
      return { ...bits, ratio: ratio ?? 'auto' };
    };
    const evaluation = evaluateDesign(gemms, hardware, policyOf, board);
    if (evaluation.overruns.length > 0 && options.allowOversized !== true) {
      throw inputError('N3H_DESIGN_DOES_NOT_FIT', `design ${formatHardwarePoint(hardware)} does not fit ${board.name}: ${evaluation.overruns.map((o) => describeOverrun(o, board)).join('; ')}`,
        'Shrink the hardware point (Bm and Lmem set the BRAM, Dm·Dn·Dk the LUTs), choose a larger board (--board xc7z045), or pass --allow-oversized to see the report anyway.');
    }
    if (options.json === true) {
      io.stdout(`${JSON.stringify({ model: modelJson, fits: evaluation.overruns.length === 0, overruns: evaluation.overruns, ...policyTable(evaluation), layers: evaluation.layers }, null, 2)}\n`);
      return;
    }
    io.stdout(formatDesign(evaluation, board));
  } finally {
    model.dispose();
  }
}
