import type * as tf from '@tensorflow/tfjs';
import {
  definePluginMeta, LAYER_OPERATIONS, tapStage, Type, withDefault,
  type DeployResult, type Kernel, type LayerOperationRegistration, type LayerPrecision, type Providers, type StageCall, type StageOptions, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { boardNamed, describeOverrun } from '../hardware/boards.js';
import { checkHardwarePoint, formatHardwarePoint } from '../hardware/hardware-point.js';
import { n3hLayerOperations } from '../layer-operations.js';
import { parseUniformBits, type LayerPolicy } from '../policy/layer-policy.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { modelGemms } from '../workload/model-gemms.js';
import { evaluateDesign, type DesignEvaluation } from './design-evaluation.js';
import { bitsOption, BoardSchema, HardwareSchema, RatioSchema } from './design-options.js';
import { formatDesign } from './format-design.js';
import { policyReportItems } from './policy-report-items.js';
import { inputError } from '@whittle/kernel';

export const FpgaN3hOptionsSchema = Type.Object({
  hardware: HardwareSchema,
  board: BoardSchema,
  bits: bitsOption('Bits of layers the quantize stage did not set (W8A8: unquantized models).', 'W8A8'),
  edgeBits: withDefault(Type.Integer({ minimum: 2, maximum: 8, description: 'Bits of the first and last GEMM layers where the quantize stage did not set them.' }), 8),
  ratio: RatioSchema,
  refuseOversized: withDefault(Type.Boolean({ description: 'Fail the stage when the design does not fit the board (else report the overrun).' }), true),
}, { additionalProperties: false });

export type FpgaN3hOptions = StageOptions<typeof FpgaN3hOptionsSchema>;

/** The split a quantize stage recorded (`n3h ratio=…`), else the option. */
function ratioOf(precision: LayerPrecision | undefined, fallback: number | 'auto'): number | 'auto' {
  const match = /^n3h ratio=([\d.]+)/.exec(precision?.scheme ?? '');
  return match === null ? fallback : Number(match[1]);
}

/** Per layer bits and split: what the run's quantize stage set (`ctx.precision`), else the options. */
export function runPolicy(precision: ReadonlyMap<string, LayerPrecision>, options: Pick<FpgaN3hOptions, 'bits' | 'edgeBits' | 'ratio'>): (layer: GemmLayer) => LayerPolicy {
  const uniform = parseUniformBits(options.bits, 'options.bits');
  return (layer) => {
    const set = precision.get(layer.name);
    if (set !== undefined) return { weightBits: set.weightBits, activationBits: set.activationBits ?? 8, ratio: ratioOf(set, options.ratio) };
    if (layer.edge) return { weightBits: options.edgeBits, activationBits: options.edgeBits, ratio: options.ratio };
    return { ...uniform, ratio: options.ratio };
  };
}

/** The per-layer policy table `fpga-policy.json` holds (readable by `whittle fpga --policy`). */
export function policyTable(evaluation: DesignEvaluation): Record<string, unknown> {
  return {
    hardware: evaluation.hardware,
    board: evaluation.board,
    layers: Object.fromEntries(evaluation.layers.map((l) => [l.layer, { weightBits: l.weightBits, activationBits: l.activationBits, ratio: l.ratio }])),
    table: evaluation.layers,
    totalMs: evaluation.totalMs,
    dspOnlyMs: evaluation.dspOnlyMs,
    lutOnlyMs: evaluation.lutOnlyMs,
    resources: evaluation.resources,
  };
}

/**
 * Deploy target `fpga-n3h`: the model on N3H-Core's heterogeneous DSP + LUT GEMM cores (papers.md
 * §4). Each GEMM layer runs at the bits the run's quantize stage chose (else `bits`), split by output
 * channels at the recorded ratio (else `ratio`; `auto` balances the cores). Writes `fpga-policy.json`
 * (per layer bits, split, cycles and ms of each core; totals; DSP-only and LUT-only designs of the same
 * model; resources), `fpga-report.txt`, and the policy as report.html items (a table and each core's time per layer); refuses a design that does not fit `board`.
 *
 * ```json
 * { "hook": "deploy", "target": "fpga-n3h", "options": { "board": "xc7z020", "hardware": { "Dk": 64, "Dm": 4, "Dn": 8, "Bm": 2048, "Lmem": 2048, "Rmem": 1024 } } }
 * ```
 */
@injectable()
export class FpgaN3hTarget implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'fpga-n3h',
    hook: 'deploy',
    description: 'N3H-Core FPGA model: latency on DSP + LUT GEMM cores, per-layer policy table, resources against the board.',
    optionsSchema: FpgaN3hOptionsSchema,
  });

  readonly name = FpgaN3hTarget.meta.name;

  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, FpgaN3hTarget.meta, async (result, call) => this.deploy(result, call));
  }

  private async deploy(result: DeployResult, call: StageCall<FpgaN3hOptions>): Promise<DeployResult> {
    const { options } = call;
    const hw = checkHardwarePoint(options.hardware, `stage ${call.stage.label}: options.hardware`);
    const board = boardNamed(options.board, `stage ${call.stage.label}: options.board`);
    const model: tf.LayersModel = call.ctx.model;
    const gemms = modelGemms(model, n3hLayerOperations(this.layers));
    const evaluation = evaluateDesign(gemms, hw, runPolicy(call.ctx.precision, options), board);
    if (options.refuseOversized && evaluation.overruns.length > 0) {
      throw inputError('N3H_DESIGN_DOES_NOT_FIT', `stage ${call.stage.label}: design ${formatHardwarePoint(hw)} does not fit ${board.name}: ${evaluation.overruns.map((o) => describeOverrun(o, board)).join('; ')}`,
        'Shrink the hardware point (Bm and Lmem set the BRAM, Dm·Dn·Dk the LUTs), choose a larger board, or set refuseOversized false to report it anyway.');
    }
    const text = formatDesign(evaluation, board);
    for (const line of text.trimEnd().split('\n')) call.ctx.logger.info(`  ${line}`);
    const files = [
      await call.ctx.artifacts.writeFile('fpga-policy.json', `${JSON.stringify(policyTable(evaluation), null, 2)}\n`),
      await call.ctx.artifacts.writeFile('fpga-report.txt', text),
    ];
    for (const [file, item] of Object.entries(policyReportItems(evaluation))) files.push(await call.ctx.artifacts.writeFile(file, item));
    const r = evaluation.resources;
    return {
      ...result,
      metrics: {
        ...result.metrics,
        latencyMs: evaluation.totalMs,
        ...(evaluation.dspOnlyMs === null ? {} : { dspOnlyMs: evaluation.dspOnlyMs }),
        ...(evaluation.lutOnlyMs === null ? {} : { lutOnlyMs: evaluation.lutOnlyMs }),
        dsp: r.dsp, lut: r.lut, bram36: r.bram36, fits: evaluation.overruns.length === 0 ? 1 : 0,
      },
      files: [...result.files, ...files],
      details: { ...result.details, hardware: formatHardwarePoint(hw), board: board.name, layers: evaluation.layers },
    };
  }
}
