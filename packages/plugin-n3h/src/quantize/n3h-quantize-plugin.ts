import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  definePluginMeta, inputError, LAYER_OPERATIONS, tapStage, Type, withDefault,
  type Kernel, type LayerOperationRegistration, type Providers, type StageCall, type StageOptions, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { checkHardwarePoint } from '../hardware/hardware-point.js';
import { n3hLayerOperations } from '../layer-operations.js';
import { networkLatency } from '../latency/network-latency.js';
import { readDesignFile } from '../policy/design-file.js';
import { parseUniformBits, type LayerPolicy } from '../policy/layer-policy.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { modelGemms } from '../workload/model-gemms.js';
import { bitsOption, HardwareSchema, RatioSchema } from '../deploy/design-options.js';
import { splitScheme } from './channel-split.js';
import { N3hQuantizer } from './n3h-quantizer.js';

export const N3hQuantizeOptionsSchema = Type.Object({
  hardware: HardwareSchema,
  bits: bitsOption('LUT-core bits of every GEMM layer but the first and last (unless `policy` names it).', 'W4A4'),
  edgeBits: withDefault(Type.Integer({ minimum: 2, maximum: 8, description: 'Bits of the first and last GEMM layers (N3H: 8).' }), 8),
  ratio: RatioSchema,
  policy: Type.Optional(Type.String({ minLength: 1, description: 'A design/policy JSON (relative to the pipeline file), e.g. a search\'s best-policy.json: its per-layer bits and splits win over `bits`.' })),
  calibrationExamples: withDefault(Type.Integer({ minimum: 1, description: 'Training examples the activation ranges are calibrated on.' }), 256),
}, { additionalProperties: false });

export type N3hQuantizeOptions = StageOptions<typeof N3hQuantizeOptionsSchema>;

/**
 * `quantize` stage `n3h-quantize`: N3H-Core mixed precision. Per GEMM layer, the split (share of output
 * channels on the LUT core; `auto` = the latency-balancing scan at `hardware`) assigns the
 * round(C_out·ratio) channels with the lowest weight-quantization error to the LUT core at the layer's
 * weight bits and the rest to the DSP core at 8 bits (per-output-channel symmetric scales); the layer's
 * input is fake-quantized at its activation bits (range by KL divergence below 5 bits, else max|x|,
 * calibrated on `calibrationExamples` training images) by an inserted `N3hFakeQuant` layer with a
 * straight-through estimator. Records each layer's precision (scheme `n3h ratio=… lut=…`, which the
 * `n3h-qat` recover stage and the `fpga-n3h` target read) and writes `n3h-policy.json`.
 *
 * ```json
 * { "hook": "quantize", "plugin": "n3h-quantize", "options": { "bits": "W4A4", "hardware": { "Dk": 64, "Dm": 4, "Dn": 8, "Bm": 2048, "Lmem": 2048, "Rmem": 1024 } } }
 * ```
 */
@injectable()
export class N3hQuantizePlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'n3h-quantize',
    hook: 'quantize',
    description: 'N3H mixed precision: LUT-core channels at the searched bits, DSP-core channels at 8 bits, fake-quantized activations (STE).',
    optionsSchema: N3hQuantizeOptionsSchema,
    requires: ['data'],
  });

  readonly name = N3hQuantizePlugin.meta.name;

  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, N3hQuantizePlugin.meta, async (model, call) => this.quantize(model, call));
  }

  private async quantize(model: tf.LayersModel, call: StageCall<N3hQuantizeOptions>): Promise<tf.LayersModel> {
    const { options } = call;
    const where = `stage ${call.stage.label}`;
    const hw = checkHardwarePoint(options.hardware, `${where}: options.hardware`);
    const uniform = parseUniformBits(options.bits, `${where}: options.bits`);
    const file = options.policy === undefined ? undefined : await readDesignFile(resolve(call.ctx.configDir, options.policy));
    const gemms = modelGemms(model, n3hLayerOperations(this.layers));
    const policyOf = (layer: GemmLayer): LayerPolicy => file?.policy?.get(layer.name)
      ?? (layer.edge ? { weightBits: options.edgeBits, activationBits: options.edgeBits, ratio: options.ratio } : { ...uniform, ratio: options.ratio });
    const designs = networkLatency(gemms, file?.hardware ?? hw, policyOf).layers;
    const data = call.ctx.data;
    if (data === undefined) throw inputError('DATA_MISSING', `${where}: n3h-quantize calibrates activations on training data`, 'Add a "data" block to the pipeline.');
    const count = Math.min(options.calibrationExamples, data.train.x.shape[0] ?? 0);
    const calibration = data.train.x.slice(0, count);
    let quantizer: N3hQuantizer | undefined;
    try {
      quantizer = await N3hQuantizer.prepare(model, gemms, calibration);
      const result = quantizer.quantize(designs.map((d) => ({ layer: d.layer.name, weightBits: d.weightBits, activationBits: d.activationBits, ratio: d.ratio, lutChannels: d.lutChannels })));
      for (const layer of result) {
        call.setPrecision(layer.layer, { weightBits: layer.weightBits, activationBits: layer.activationBits, scheme: splitScheme(layer.ratio, layer.lutChannels) });
      }
      const table = Object.fromEntries(result.map((r) => [r.layer, { weightBits: r.weightBits, activationBits: r.activationBits, ratio: r.ratio, lutChannels: r.lutChannels.length, dspWeightBits: 8 }]));
      await call.ctx.artifacts.writeFile('n3h-policy.json', `${JSON.stringify({ hardware: file?.hardware ?? hw, layers: table }, null, 2)}\n`);
      const meanBits = result.reduce((s, r) => s + r.weightBits, 0) / result.length;
      call.record({ quantizedLayers: result.length, meanLutWeightBits: meanBits, fakeQuantPoints: quantizer.model.layers.filter((l) => l.getClassName() === 'N3hFakeQuant').length });
      call.ctx.logger.info(`  n3h-quantize: ${result.length} GEMM layers (${result.map((r) => `W${r.weightBits}A${r.activationBits}@${r.ratio}`).join(' ')})`);
      const out = quantizer.release();
      quantizer = undefined;
      return out;
    } finally {
      quantizer?.dispose();
      calibration.dispose();
    }
  }
}
