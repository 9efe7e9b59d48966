import { composePipelineSchema, PluginRegistry } from '@whittle/kernel';
import { atomicWriteFile, checkOutputFilePath } from '@whittle/model-io';
import type { CliIo } from '../cli-io.js';
import { installedWithDefaults } from '../installed-plugins.js';

/** The pipeline schema composed with every installed plugin package (for `"$schema"` in editors). */
export async function installedPipelineSchema(dir: string): Promise<Record<string, unknown>> {
  return composePipelineSchema(new PluginRegistry(await installedWithDefaults(dir)));
}

export async function schemaCommand(options: { out?: string; dir?: string }, io: CliIo): Promise<void> {
  if (options.out !== undefined) await checkOutputFilePath(options.out, 'the schema (--out)');
  const text = `${JSON.stringify(await installedPipelineSchema(options.dir ?? process.cwd()), null, 2)}\n`;
  if (options.out === undefined) io.stdout(text);
  else await atomicWriteFile(options.out, text);
}
