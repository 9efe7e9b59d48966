import { existsSync } from 'node:fs';

/** A system package (not an npm one) that some tests need, and how to get it. */
export interface SystemRequirement {
  /** What the tests are, for the notice: e.g. "webgpu tests". */
  readonly tests: string;
  /** The command that installs it, e.g. "apt-get install dataset-fashion-mnist". */
  readonly install: string;
}

/** Set to 1 (as `.ci/run`, which installs the system packages, does) to make tests that need one fail instead of skipping. */
export const REQUIRE_SYSTEM_PACKAGES_ENV = 'WHITTLE_REQUIRE_SYSTEM_PACKAGES';

/**
 * Whether tests that need a system package can run. `missing` is undefined when the package is
 * there, otherwise why it is not. A missing package skips the tests with ONE line on stderr naming
 * the install command, unless `WHITTLE_REQUIRE_SYSTEM_PACKAGES=1` (as `.ci/run`, which installs the
 * packages, sets): then it throws, so the test file fails instead of passing without its tests.
 *
 * ```ts
 * const hasData = requireSystem(existsSync(dir) ? undefined : `${dir} is missing`, FASHION_MNIST_REQUIREMENT);
 * it.runIf(hasData)('reads it', () => {});
 * ```
 */
export function requireSystem(missing: string | undefined, requirement: SystemRequirement): boolean {
  if (missing === undefined) return true;
  const line = `${requirement.tests} skipped: ${missing}; install with: ${requirement.install}`;
  if (process.env[REQUIRE_SYSTEM_PACKAGES_ENV] === '1') {
    throw new Error(`${REQUIRE_SYSTEM_PACKAGES_ENV}=1, but ${line.replace(' skipped:', ' cannot run:')}`);
  }
  process.stderr.write(`${line}\n`);
  return false;
}

/** The Vulkan driver Dawn accepts on Debian 12 (bookworm's own Mesa 22.3 is refused). */
export const WEBGPU_REQUIREMENT: SystemRequirement = {
  tests: 'webgpu tests',
  install: 'apt-get install -y libvulkan1 && apt-get install -y -t bookworm-backports mesa-vulkan-drivers (after adding bookworm-backports to apt sources)',
};

/** Debian's packaged Fashion-MNIST, in /usr/share/datasets/fashion-mnist. */
export const FASHION_MNIST_REQUIREMENT: SystemRequirement = {
  tests: 'fashion-mnist dataset tests',
  install: 'apt-get install -y dataset-fashion-mnist',
};

/** `requireSystem` for a package that installs `path`: whether the tests that read it can run. */
export function requireSystemPath(path: string, requirement: SystemRequirement): boolean {
  return requireSystem(existsSync(path) ? undefined : `${path} is missing`, requirement);
}

/** Debian's headless Chromium, which the browser tests drive with playwright-core. */
export const CHROMIUM_REQUIREMENT: SystemRequirement = {
  tests: 'browser tests',
  install: 'apt-get install -y --no-install-recommends chromium-headless-shell',
};

/** Where Debian's packages put a Chromium that runs headless: the headless shell first, then the full browser. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'] as const;

/**
 * Flags for launching it in tests: headless without a sandbox (root, containers), no background
 * networking (nothing leaves the machine), and WebGL through SwiftShader where there is no GPU.
 */
export const CHROMIUM_TEST_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] as const;

/** Names the Chromium binary the browser tests launch instead of Debian's (`CHROMIUM_PATHS`). */
export const CHROMIUM_ENV = 'WHITTLE_CHROMIUM';

/**
 * The Chromium binary the browser tests launch, or undefined after `requireSystem` printed the skip
 * line (or threw, where `WHITTLE_REQUIRE_SYSTEM_PACKAGES=1`). `WHITTLE_CHROMIUM`, when set, is the
 * only place looked at: a path there that does not exist skips the tests (naming it) instead of
 * falling back to another binary, so the skip path can be checked on a machine that has Chromium.
 *
 * ```ts
 * const chromium = chromiumExecutable();
 * describe.runIf(chromium !== undefined)('the page', () => { … });
 * ```
 */
export function chromiumExecutable(): string | undefined {
  const chosen = process.env[CHROMIUM_ENV];
  const candidates = chosen !== undefined && chosen !== '' ? [chosen] : [...CHROMIUM_PATHS];
  const found = candidates.find((p) => existsSync(p));
  const missing = chosen !== undefined && chosen !== '' ? `no Chromium at ${chosen} (${CHROMIUM_ENV})` : `no Chromium at ${candidates.join(' or ')}`;
  return requireSystem(found === undefined ? missing : undefined, CHROMIUM_REQUIREMENT) ? found : undefined;
}
