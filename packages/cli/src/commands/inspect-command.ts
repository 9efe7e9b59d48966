import { dependencyGroups, layerCosts, layerOperationsOf, totalMacs } from '@whittle/graph';
import { selectBackend } from '@whittle/engine';
import { loadPluginManifests, PluginRegistry } from '@whittle/kernel';
import { loadModel } from '@whittle/model-io';
import { countParams } from '@whittle/metrics';
import type { CliIo } from '../cli-io.js';

export interface InspectCommandOptions {
  readonly json?: boolean;
  /** Plugin packages (names, or paths starting with ./ or ../ relative to the working folder) whose custom layers the model uses. */
  readonly plugin?: readonly string[];
}

/**
 * `whittle inspect <model.json> [--plugin ./my-layers.js]`: layers, output shapes, params, MACs and
 * dependency groups. Plugin packages named with `--plugin` register their custom layer classes (so
 * the model loads) and layer operations (so their MACs count and their channels are understood).
 */
export async function inspectCommand(modelJson: string, options: InspectCommandOptions, io: CliIo): Promise<void> {
  // Counting needs the weights in memory, not speed: the cpu backend, and no GPU probe.
  await selectBackend('cpu');
  const registry = new PluginRegistry(await loadPluginManifests(options.plugin ?? [], process.cwd()));
  const ops = layerOperationsOf(registry);
  const model = await loadModel(modelJson);
  try {
    const layers = layerCosts(model, ops);
    const groups = dependencyGroups(model, ops).map((g) => ({ id: g.id, channels: g.channels, layers: [...new Set(g.members.map((m) => m.layer))], prunable: g.prunable, blockedBy: g.blockedBy }));
    const summary = { model: modelJson, name: model.name, inputs: model.inputs.map((t) => t.shape), outputs: model.outputs.map((t) => t.shape), params: countParams(model), macs: totalMacs(model, ops), layers, groups };
    if (options.json === true) {
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const rows = [['layer', 'class', 'output shape', 'params', 'MACs'], ...layers.map((l) => [l.layer, l.className, JSON.stringify(l.outputShape), l.params.toLocaleString('en-US'), l.macs.toLocaleString('en-US')])];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const text = rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
    const groupLines = groups.map((g) => `  ${g.prunable ? 'prunable ' : 'blocked  '} ${g.id} (${g.channels} channels; ${g.layers.length} layers: ${g.layers.slice(0, 6).join(', ')}${g.layers.length > 6 ? ', …' : ''})${g.prunable ? '' : `\n             why: ${g.blockedBy.join('; ')}`}`);
    const prunable = groups.filter((g) => g.prunable).length;
    io.stdout(
      `${text}\n\ntotal: ${summary.params.toLocaleString('en-US')} params, ${summary.macs.toLocaleString('en-US')} MACs per example\n` +
        `\ndependency groups: ${groups.length} (${prunable} prunable)\n${groupLines.join('\n')}\n`,
    );
  } finally {
    model.dispose();
  }
}
