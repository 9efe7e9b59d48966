import { countParams, layerCosts, loadModel, totalMacs } from '@whittle/kernel';
import type { CliIo } from '../cli-io.js';

export async function inspectCommand(modelJson: string, options: { json?: boolean }, io: CliIo): Promise<void> {
  const model = await loadModel(modelJson);
  try {
    const layers = layerCosts(model);
    const summary = { model: modelJson, name: model.name, inputs: model.inputs.map((t) => t.shape), outputs: model.outputs.map((t) => t.shape), params: countParams(model), macs: totalMacs(model), layers };
    if (options.json === true) {
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const rows = [['layer', 'class', 'output shape', 'params', 'MACs'], ...layers.map((l) => [l.layer, l.className, JSON.stringify(l.outputShape), l.params.toLocaleString('en-US'), l.macs.toLocaleString('en-US')])];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const text = rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
    io.stdout(`${text}\n\ntotal: ${summary.params.toLocaleString('en-US')} params, ${summary.macs.toLocaleString('en-US')} MACs per example\n`);
  } finally {
    model.dispose();
  }
}
