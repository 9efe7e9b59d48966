import type * as tf from '@tensorflow/tfjs';
import { definePluginMeta, inputError, tapStage, Type, withDefault, type Kernel, type StageCall, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { cloneModel } from '@whittle/model-io';
import { injectable } from 'tsyringe';
import { channelBits, parseSplitScheme } from './channel-split.js';
import { accuracyOf, qatFineTune } from './qat-fine-tune.js';

export const N3hQatOptionsSchema = Type.Object({
  epochs: withDefault(Type.Integer({ minimum: 1 }), 1),
  batchSize: withDefault(Type.Integer({ minimum: 1 }), 64),
  learningRate: withDefault(Type.Number({ exclusiveMinimum: 0 }), 5e-4),
  maxSteps: Type.Optional(Type.Integer({ minimum: 1, description: 'Stop after this many steps in all.' })),
}, { additionalProperties: false });

export type N3hQatOptions = StageOptions<typeof N3hQatOptionsSchema>;

/**
 * `recover` stage `n3h-qat`: quantization-aware fine-tuning of a model the `n3h-quantize` stage
 * quantized. Each GEMM kernel keeps its per-channel bits (LUT channels at the layer's bits, DSP
 * channels at 8, from the recorded `n3h ratio=… lut=…` scheme); the straight-through estimator
 * updates a float shadow and re-quantizes after every step (`qatFineTune`). Records validation accuracy.
 *
 * ```json
 * { "hook": "recover", "plugin": "n3h-qat", "options": { "epochs": 2, "learningRate": 0.0005 } }
 * ```
 */
@injectable()
export class N3hQatPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'n3h-qat',
    hook: 'recover',
    description: 'Quantization-aware fine-tuning (STE) of an n3h-quantize model, keeping each channel\'s bits.',
    optionsSchema: N3hQatOptionsSchema,
    requires: ['data'],
  });

  readonly name = N3hQatPlugin.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, N3hQatPlugin.meta, async (model, call) => this.recover(model, call));
  }

  private async recover(model: tf.LayersModel, call: StageCall<N3hQatOptions>): Promise<tf.LayersModel> {
    const where = `stage ${call.stage.label}`;
    const data = call.ctx.data;
    if (data === undefined) throw inputError('DATA_MISSING', `${where}: n3h-qat fine-tunes on training data`, 'Add a "data" block to the pipeline.');
    const kernels = [...call.ctx.precision].flatMap(([layer, precision]) => {
      const split = parseSplitScheme(precision.scheme);
      if (split === undefined) return [];
      const weights = model.getLayer(layer).getWeights()[0];
      const channels = weights?.shape[weights.shape.length - 1] ?? 0;
      return [{ layer, channelBits: channelBits(channels, split.lutChannels, precision.weightBits) }];
    });
    if (kernels.length === 0) throw inputError('N3H_NOT_QUANTIZED', `${where}: no layer carries an n3h precision`, 'Run the "n3h-quantize" quantize stage before n3h-qat.');
    const copy = await cloneModel(model);
    try {
      const fit = await qatFineTune(copy, kernels, data.train, call.options, call.rng);
      const accuracy = await accuracyOf(copy, data.validation);
      call.record({ qatSteps: fit.steps, qatFinalLoss: fit.finalLoss, validationAccuracy: accuracy });
      // The per-epoch history as a report.html item (the @whittle/report series format): loss curves per stage.
      const rows = fit.epochLosses.map((loss, i) => ({ epoch: i + 1, 'training loss': loss }));
      await call.ctx.artifacts.writeFile('history.report.json', `${JSON.stringify({ kind: 'series', title: 'QAT fine-tuning', description: `Mean training loss per epoch of ${call.stage.label} (quantized weights and activations, straight-through estimator)`, x: 'epoch', rows }, null, 2)}\n`);
      call.ctx.logger.info(`  n3h-qat: ${fit.steps} steps, loss ${fit.finalLoss.toFixed(4)}, validation accuracy ${(100 * accuracy).toFixed(2)} %`);
      return copy;
    } catch (error) {
      copy.dispose();
      throw error;
    }
  }
}
