import * as tf from '@tensorflow/tfjs';
import { steadyLatency } from '@whittle/metrics';
import { latencySites, latencyTableText, profileModel, signatureKey, type LatencyTable, type ProfileReport } from '@whittle/plugin-profiler';
import { PAGE_BACKENDS, selectPageBackend, type PageBackend, type PageBackendChoice } from './select-backend.js';

/** What the page did, for people (the status line) and for tests (`window.whittle`). */
interface PageState {
  status: 'idle' | 'loading' | 'profiling' | 'done' | 'error';
  message: string;
  backend?: PageBackendChoice;
  report?: ProfileReport;
  /** The latency table as `whittle profile` writes it. */
  tableText?: string;
  perLayer?: { layer: string; ms: number }[];
  /** The loaded model and a pruned one timed together on this page (round-robin windows, best window's median). */
  comparison?: { url: string; referenceMs: number; prunedMs: number; ratio: number; windows: number; runs: number };
}

const state: PageState = { status: 'idle', message: 'Load a model (model.json and its .bin files, or a URL).' };
(window as unknown as { whittle: PageState }).whittle = state;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

function show(status: PageState['status'], message: string): void {
  state.status = status;
  state.message = message;
  const line = $('status');
  line.textContent = message;
  line.dataset['status'] = status;
}

function numberInput(id: string): number {
  const value = Number(($(id) as HTMLInputElement).value);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${id} must be a whole number ≥ 1`);
  return value;
}

/** Per layer: the table's entries of its calls at full width, summed. */
function perLayer(model: tf.LayersModel, table: LatencyTable, batch: number, adapter: string | null): { layer: string; ms: number }[] {
  const rows = new Map<string, number>();
  for (const site of latencySites(model, [], { backend: tf.getBackend(), adapter, batch })) {
    const entry = table.get(signatureKey(site.signature));
    if (entry !== undefined) rows.set(site.layer, (rows.get(site.layer) ?? 0) + entry.ms);
  }
  return [...rows].map(([layer, ms]) => ({ layer, ms }));
}

function renderLayers(rows: readonly { layer: string; ms: number }[]): void {
  const max = Math.max(...rows.map((r) => r.ms), 1e-9);
  $('layers').innerHTML = '';
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.innerHTML = `<th scope="row"></th><td>${r.ms.toFixed(4)}</td><td><span class="bar" style="width:${((100 * r.ms) / max).toFixed(1)}%"></span></td>`;
    tr.querySelector('th')!.textContent = r.layer;
    $('layers').appendChild(tr);
  }
}

let model: tf.LayersModel | undefined;

async function load(source: 'files' | 'url'): Promise<void> {
  show('loading', 'Loading the model…');
  model?.dispose();
  model = undefined;
  if (source === 'files') {
    const files = Array.from(($('files') as HTMLInputElement).files ?? []);
    const json = files.find((f) => f.name.endsWith('.json'));
    if (json === undefined) throw new Error('pick model.json together with its .bin weight files');
    model = await tf.loadLayersModel(tf.io.browserFiles([json, ...files.filter((f) => f !== json)]));
  } else {
    const url = ($('url') as HTMLInputElement).value.trim();
    if (url === '') throw new Error('enter the URL of a model.json');
    model = await tf.loadLayersModel(url);
  }
  ($('profile') as HTMLButtonElement).disabled = false;
  ($('compare') as HTMLButtonElement).disabled = false;
  show('idle', `Loaded ${model.name}: ${model.layers.length} layers, ${model.countParams().toLocaleString('en')} params. Press “Measure”.`);
}

async function profile(): Promise<void> {
  if (model === undefined) throw new Error('load a model first');
  const batchSize = numberInput('batch');
  const step = numberInput('step');
  const runs = numberInput('runs');
  const maxGridPoints = numberInput('grid');
  const backend = state.backend!;
  show('profiling', `Measuring each layer on ${backend.name} (batch ${batchSize}, step ${step}, ≤ ${maxGridPoints} widths per side, ${runs} runs)…`);
  // The same measurement as `whittle profile` with its defaults (warm-up 3, wall clock, median, seed 0).
  const { predictor, report } = await profileModel(model, { batchSize, step, runs, warmup: 3, maxGridPoints, clock: 'wall', adapter: backend.adapter, seed: 0 });
  state.report = report;
  state.tableText = latencyTableText(predictor.table);
  state.perLayer = perLayer(model, predictor.table, batchSize, backend.adapter);
  renderLayers(state.perLayer);
  $('summary').textContent = `${report.signatures} signatures, ${report.tableEntries} table entries, ${(report.buildMs / 1000).toFixed(1)} s. ` +
    `Whole model ${report.fullMs.toFixed(3)} ms; predicted at a random ~50 % width ${report.randomHalf.predictedMs.toFixed(3)} ms, measured ${report.randomHalf.measuredMs.toFixed(3)} ms.`;
  ($('download') as HTMLButtonElement).disabled = false;
  show('done', `Latency table ready for ${backend.name}${backend.adapter === null ? '' : ` (${backend.adapter})`}: download it and prune with SP-LAMP.`);
}

/**
 * Times the loaded model and a pruned one (say, SP-LAMP's output for this page's table) together on
 * this page's backend — round-robin windows, so that the device's drift falls on both — to check on
 * the device itself what the pruning bought.
 */
async function compare(): Promise<void> {
  if (model === undefined) throw new Error('load a model first');
  const url = ($('compare-url') as HTMLInputElement).value.trim();
  if (url === '') throw new Error('enter the URL of the pruned model.json');
  const batchSize = numberInput('batch');
  const runs = numberInput('runs');
  show('profiling', `Timing ${model.name} and ${url} together on ${state.backend!.name}…`);
  const pruned = await tf.loadLayersModel(url);
  try {
    const windows = 5;
    const [referenceMs, prunedMs] = (await steadyLatency([model, pruned], { batchSize, runs, windows, warmup: 3 })) as [number, number];
    state.comparison = { url, referenceMs, prunedMs, ratio: prunedMs / referenceMs, windows, runs };
    $('comparison').textContent = `${url}: ${prunedMs.toFixed(3)} ms against ${referenceMs.toFixed(3)} ms for the loaded model (${(prunedMs / referenceMs).toFixed(3)}×; ` +
      `best of ${windows} round-robin windows of ${runs} runs at batch ${batchSize}).`;
    show('done', `Compared on ${state.backend!.name}: the pruned model takes ${(100 * prunedMs / referenceMs).toFixed(1)} % of the loaded model's time.`);
  } finally {
    pruned.dispose();
  }
}

function download(): void {
  if (state.tableText === undefined) return;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([state.tableText], { type: 'application/json' }));
  link.download = `latency-table-${state.backend!.name}-batch${state.report!.batchSize}.json`;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function guarded(action: () => Promise<void> | void): () => void {
  return () => {
    Promise.resolve().then(action).catch((error: unknown) => show('error', `Error: ${(error as Error).message}`));
  };
}

async function start(): Promise<void> {
  const forced = params.get('backend');
  if (forced !== null && !(PAGE_BACKENDS as readonly string[]).includes(forced)) throw new Error(`?backend= must be one of ${PAGE_BACKENDS.join(', ')}`);
  state.backend = await selectPageBackend((forced ?? undefined) as PageBackend | undefined);
  $('backend').textContent = `${state.backend.name}${state.backend.adapter === null ? '' : ` (${state.backend.adapter})`}${state.backend.skipped.length === 0 ? '' : ` — not used: ${state.backend.skipped.join('; ')}`}`;
  $('files').addEventListener('change', guarded(() => load('files')));
  $('load-url').addEventListener('click', guarded(() => load('url')));
  $('profile').addEventListener('click', guarded(profile));
  $('download').addEventListener('click', guarded(download));
  $('compare').addEventListener('click', guarded(compare));
  for (const id of ['batch', 'step', 'runs', 'grid']) {
    const value = params.get(id);
    if (value !== null) ($(id) as HTMLInputElement).value = value;
  }
  const url = params.get('model');
  if (url !== null) {
    ($('url') as HTMLInputElement).value = url;
    await load('url');
    if (params.get('measure') === '1') await profile();
    const other = params.get('compare');
    if (other !== null) {
      ($('compare-url') as HTMLInputElement).value = other;
      await compare();
    }
  }
}

guarded(start)();
