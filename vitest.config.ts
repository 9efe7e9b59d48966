import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source. SWC (not esbuild) transforms them so that
// decorator metadata survives; see shared/research/environment.md §5.
const pkg = (name: string): string => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  plugins: [
    swc.vite({
      jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    }),
  ],
  oxc: false,
  esbuild: false,
  resolve: {
    alias: [
      { find: /^@whittle\/(kernel|model-io|engine|data|metrics|testing|graph|zoo|cli|report|plugin-[a-z-]+)$/, replacement: pkg('$1') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['packages/kernel/test/setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
