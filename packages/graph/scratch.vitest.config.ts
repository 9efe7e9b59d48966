import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
export default defineConfig({
  root: here('../..'),
  plugins: [swc.vite({ jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' } })],
  oxc: false, esbuild: false,
  resolve: { alias: [
    { find: /^@whittle\/kernel$/, replacement: here('./test/scratch/kernel-shim.ts') },
    { find: /^@whittle\/(graph|zoo)$/, replacement: here('../$1/src/index.ts') },
  ] },
  test: { include: ['packages/graph/test/**/*.test.ts'], testTimeout: 120000, pool: 'forks', maxWorkers: 2 },
});
