import { describeManifest } from '@whittle/kernel';
import type { CliIo } from '../cli-io.js';
import { installedWithDefaults } from '../installed-plugins.js';

export async function pluginsCommand(options: { json?: boolean; dir?: string }, io: CliIo): Promise<void> {
  const dir = options.dir ?? process.cwd();
  const manifests = await installedWithDefaults(dir);
  const rows = manifests.map((m) => ({
    package: m.name,
    version: m.version,
    kernel: m.kernel,
    ...describeManifest(m),
    models: (m.models ?? []).map((b) => b.name),
    datasets: (m.datasets ?? []).map((d) => d.name),
    latencyModels: (m.latencyModels ?? []).map((l) => l.name),
    metrics: (m.metrics ?? []).map((p) => p.name),
    tasks: (m.tasks ?? []).map((t) => t.name),
    plugins: (m.plugins ?? []).map((p) => ({ name: p.meta.name, hook: p.meta.hook, description: p.meta.description })),
  }));
  if (options.json === true) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`${r.package}@${r.version} (kernel ${r.kernel})`);
    for (const p of r.plugins) lines.push(`  ${p.hook === 'deploy' ? 'deploy target' : `${p.hook} plugin`} ${p.name}: ${p.description}`);
    if (r.models.length > 0) lines.push(`  models: ${r.models.join(', ')}`);
    if (r.datasets.length > 0) lines.push(`  datasets: ${r.datasets.join(', ')}`);
    if (r.latencyModels.length > 0) lines.push(`  latency models: ${r.latencyModels.join(', ')}`);
    if (r.metrics.length > 0) lines.push(`  metrics: ${r.metrics.join(', ')}`);
    if (r.tasks.length > 0) lines.push(`  tasks: ${r.tasks.join(', ')}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
}
