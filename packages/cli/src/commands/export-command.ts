import * as tf from '@tensorflow/tfjs';
import { layerOperationsOf } from '@whittle/graph';
import { selectBackend } from '@whittle/engine';
import { loadPluginManifests, PluginRegistry } from '@whittle/kernel';
import { atomicWriteFile, checkOutputFilePath, loadModel } from '@whittle/model-io';
import { compareWithTfjs, exportOnnx, OrtSession } from '@whittle/plugin-onnx';
import type { CliIo } from '../cli-io.js';

export interface ExportCommandOptions {
  readonly format: 'onnx';
  readonly out: string;
  /** Plugin packages whose custom layers (and their ONNX lowerings) the model uses. */
  readonly plugin?: readonly string[];
  /** Run the exported file in ONNX Runtime on a random batch and compare with tfjs (default true; --no-check). */
  readonly check?: boolean;
  readonly json?: boolean;
}

/**
 * `whittle export <model.json> --format onnx --out model.onnx [--plugin ./my-layers.js] [--no-check]`:
 * writes the model as ONNX (NCHW inside, NHWC at the edges, dynamic batch, BatchNorms folded), then
 * runs it in ONNX Runtime on a random batch of 2 and prints its largest relative difference from
 * tfjs. A model with a layer that has no ONNX lowering is refused before anything is written (exit
 * 2); the file is written atomically, so a failed export leaves nothing half-written.
 */
export async function exportCommand(modelJson: string, options: ExportCommandOptions, io: CliIo): Promise<void> {
  await checkOutputFilePath(options.out);
  await selectBackend('wasm');
  const registry = new PluginRegistry(await loadPluginManifests(options.plugin ?? [], process.cwd()));
  const model = await loadModel(modelJson);
  try {
    const exported = await exportOnnx(model, { ops: layerOperationsOf(registry) });
    let relativeError: number | undefined;
    if (options.check !== false) {
      const session = await OrtSession.create(exported.bytes, exported);
      const inputs = model.inputs.map((input, i) => tf.randomUniform([2, ...input.shape.slice(1).map((d) => d ?? 1)], -1, 1, 'float32', 17 + i));
      try {
        relativeError = (await compareWithTfjs(model, session, inputs)).relativeError;
      } finally {
        tf.dispose(inputs);
        await session.release();
      }
    }
    await atomicWriteFile(options.out, exported.bytes);
    const nodes = Object.values(exported.opCounts).reduce((a, b) => a + b, 0);
    const summary = {
      model: modelJson, out: options.out, format: options.format, bytes: exported.bytes.length, nodes, opCounts: exported.opCounts, foldedBatchNorms: exported.foldedBatchNorms,
      inputs: exported.inputs, outputs: exported.outputs, ...(relativeError === undefined ? {} : { onnxRuntimeRelativeError: relativeError }),
    };
    if (options.json === true) {
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    io.stdout(
      `wrote ${options.out}: ONNX opset 17, ${exported.bytes.length.toLocaleString('en-US')} bytes, ${nodes} nodes, ${exported.foldedBatchNorms} BatchNorms folded\n` +
        `  inputs: ${exported.inputs.map((i) => `${i.name} ${JSON.stringify(i.shape)}`).join(', ')} (NHWC, batch dynamic)\n` +
        (relativeError === undefined ? '' : `  ONNX Runtime vs tfjs on a random batch of 2: max relative difference ${relativeError.toExponential(2)}\n`),
    );
  } finally {
    model.dispose();
  }
}
