import * as tf from '@tensorflow/tfjs';
import type { ModelFormat } from '../folder/model-folder.js';

/** What the snippet says about the folder it sits beside. */
export interface SnippetFacts {
  readonly modelName: string;
  readonly format: ModelFormat;
  /** The served folder, relative to the snippet. */
  readonly folder: string;
  /** [null, h, w, c]-style input shapes; null dimensions become 1 in the example call. */
  readonly inputShapes: readonly (readonly (number | null)[])[];
  readonly storage: string;
  readonly sizes: readonly { readonly label: string; readonly bytes: number }[];
}

function kib(bytes: number): string {
  return bytes < 10_240 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * A README-like text (Markdown) that tells a web developer how to load the folder: a `<script>` page
 * and a bundler import, with the model's input shape filled in, and the folder's sizes.
 *
 * ```ts
 * loadSnippet({ modelName: 'resnet20', format: 'layers-model', folder: 'web-model', inputShapes: [[null, 32, 32, 3]], storage: 'uint8', sizes: [] });
 * ```
 */
export function loadSnippet(facts: SnippetFacts): string {
  const loader = facts.format === 'graph-model' ? 'loadGraphModel' : 'loadLayersModel';
  const example = facts.inputShapes.map((shape) => `tf.zeros([${shape.map((d) => d ?? 1).join(', ')}])`);
  const input = example.length === 1 ? example[0]! : `[${example.join(', ')}]`;
  const version = tf.version.tfjs;
  return `# ${facts.modelName} for the web

\`${facts.folder}/\` is a TensorFlow.js ${facts.format === 'graph-model' ? 'GraphModel' : 'LayersModel'} (weights stored as ${facts.storage}).
Serve it as static files (any web server; \`npx http-server .\` for a try) and load it with the stock
loader, which decodes quantized weights itself: nothing else to install.

## In a page

\`\`\`html
<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@${version}/dist/tf.min.js"></script>
<script type="module">
  const model = await tf.${loader}('${facts.folder}/model.json');
  const y = model.predict(${input});
  y.print();
</script>
\`\`\`

## With a bundler

\`\`\`js
import * as tf from '@tensorflow/tfjs';

const model = await tf.${loader}(new URL('./${facts.folder}/model.json', import.meta.url).href);
const y = tf.tidy(() => model.predict(${input}));
\`\`\`

## Sizes

| file set | bytes |
|---|---|
${facts.sizes.map((s) => `| ${s.label} | ${s.bytes} (${kib(s.bytes)}) |`).join('\n')}
`;
}
