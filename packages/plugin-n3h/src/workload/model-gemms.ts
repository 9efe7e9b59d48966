import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { kerasLayerConfig, LayerOperations } from '@whittle/graph';
import type { GemmLayer } from './gemm-layer.js';

type Shape = (number | null)[];

function concreteShapes(shapes: Shape | Shape[]): number[][] {
  const list = (shapes.length > 0 && Array.isArray(shapes[0]) ? shapes : [shapes]) as Shape[];
  return list.map((shape) => shape.map((d) => d ?? 1));
}

/**
 * Layers that cost nothing on the N3H cores [assumption, as in the reference, which models only
 * conv/FC layers]: BatchNormalization is folded into the preceding GEMM's per-channel scale and bias;
 * activations, merges (the residual Add), pooling and reshapes run in the cores' output stage or as
 * address arithmetic. Any other layer with weights and no `gemm` operation is refused.
 */
const FREE_WITH_WEIGHTS = new Set(['BatchNormalization', 'PReLU']);

/**
 * The GEMM layers of a model in `model.layers` order, each call lowered by its layer operation's
 * `gemm` (@whittle/graph): Conv2D as im2col, M = H_out·W_out, K = C_in·k², N = C_out (batch 1);
 * Dense M = 1 (per position), K = in, N = units; DepthwiseConv2D as one GEMM of K = k², N = C·multiplier
 * (the mapping of the reference's MobileNet-V2 arrays). The first and last are the `edge` layers
 * (8-bit, unpacked on the DSP core). Nested models are not supported; a layer called twice counts twice.
 *
 * ```ts
 * modelGemms(buildResNet18ImageNet()).length; // 21
 * ```
 */
export function modelGemms(model: tf.LayersModel, ops: LayerOperations = LayerOperations.builtIn): GemmLayer[] {
  const layers: Omit<GemmLayer, 'edge'>[] = [];
  const unsupported: string[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (layer instanceof tf.LayersModel) throw inputError('N3H_NESTED_MODEL', `layer "${layer.name}" is a nested model, which the FPGA model does not map`, 'Flatten the model first.');
    const gemm = ops.get(className)?.gemm;
    if (gemm === undefined) {
      if (layer.countParams() > 0 && !FREE_WITH_WEIGHTS.has(className)) unsupported.push(`"${layer.name}" (${className})`);
      continue;
    }
    const config = kerasLayerConfig(layer.getConfig());
    layer.inboundNodes.forEach((node, index) => {
      const shape = gemm({ config, inputShapes: concreteShapes(node.inputShapes as Shape | Shape[]), outputShapes: concreteShapes(node.outputShapes as Shape | Shape[]) });
      if (shape === undefined) {
        unsupported.push(`"${layer.name}" (${className})`);
        return;
      }
      layers.push({ name: layer.inboundNodes.length > 1 ? `${layer.name}#${index}` : layer.name, className, m: shape.m, k: shape.k, n: shape.n });
    });
  }
  if (unsupported.length > 0) {
    throw inputError('N3H_UNSUPPORTED_LAYER', `the FPGA model has no GEMM mapping for ${unsupported.join(', ')}`,
      'The N3H cores run Conv2D, DepthwiseConv2D and Dense layers; register a layer operation with `gemm` for a custom layer.');
  }
  if (layers.length === 0) throw inputError('N3H_NO_GEMM_LAYERS', `model "${model.name}" has no convolution or dense layer for the FPGA cores`, 'Give a CNN or MLP.');
  return layers.map((layer, index) => ({ ...layer, edge: index === 0 || index === layers.length - 1 }));
}
