import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CLI_PACKAGE_DIR } from '../src/cli-registry.js';

it("CLI_PACKAGE_DIR is the CLI's package folder (where its bundled plugins resolve from), also from src/", () => {
  const pkg = JSON.parse(readFileSync(join(CLI_PACKAGE_DIR, 'package.json'), 'utf8')) as { name: string };
  expect(pkg.name).toBe('@whittle/cli');
});
