import { version as tfjsVersion } from '@tensorflow/tfjs';
import { KERNEL_VERSION } from '@whittle/kernel';
import { createRequire } from 'node:module';

/** The CLI package's own version, from its package.json (self-referenced through its exports). */
const CLI_VERSION = (createRequire(import.meta.url)('@whittle/cli/package.json') as { version: string }).version;

/** What `whittle --version` prints: `whittle 0.1.0 (kernel 0.1.0, @tensorflow/tfjs 4.22.0, node v20.x)`. */
export function versionText(): string {
  return `whittle ${CLI_VERSION} (kernel ${KERNEL_VERSION}, @tensorflow/tfjs ${tfjsVersion.tfjs}, node ${process.version})`;
}
