import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { loadPluginManifests } from '../../src/plugin/load-plugins.js';
import { KERNEL_VERSION } from '../../src/version.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const FIRST_PARTY = {
  '@whittle/data': 'data',
  '@whittle/metrics': 'metrics',
  '@whittle/plugin-baselines': 'plugin-baselines',
  '@whittle/plugin-onnx': 'plugin-onnx',
  '@whittle/plugin-overparam': 'plugin-overparam',
  '@whittle/plugin-profiler': 'plugin-profiler',
  '@whittle/plugin-sp-lamp': 'plugin-sp-lamp',
  '@whittle/plugin-tfjs-web': 'plugin-tfjs-web',
  '@whittle/plugin-wavelet-kd': 'plugin-wavelet-kd',
  '@whittle/zoo': 'zoo',
} as const;

interface PackageJson {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

describe('first-party plugin packages: the kernel version contract', () => {
  it.each(Object.entries(FIRST_PARTY))('%s states one literal kernel range, in its manifest and as a peerDependency', async (name, folder) => {
    const pkg = JSON.parse(readFileSync(join(repo, 'packages', folder, 'package.json'), 'utf8')) as PackageJson;
    const range = pkg.peerDependencies?.['@whittle/kernel'];
    expect(range, 'peerDependencies["@whittle/kernel"]').toBeDefined();
    expect(semver.validRange(range)).not.toBeNull();
    // A plugin that carried its own kernel would pass any check against that copy.
    expect(pkg.dependencies?.['@whittle/kernel']).toBeUndefined();
    expect(pkg.devDependencies?.['@whittle/kernel']).toBe('workspace:*');

    const [manifest] = await loadPluginManifests([name], repo);
    expect(manifest?.kernel).toBe(range);
    expect(manifest?.version).toBe(pkg.version);
    expect(semver.satisfies(KERNEL_VERSION, range!)).toBe(true);
    // Literal in the source too: a range computed from the kernel it imports (`^${KERNEL_VERSION}`) always matches.
    const src = join(repo, 'packages', folder, 'src');
    const sources = readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(src, f), 'utf8'));
    expect(sources.some((text) => text.includes(`kernel: '${range}'`)), `a file in packages/${folder}/src states kernel: '${range}'`).toBe(true);
  });
});
