/**
 * report.html of every example, checked in a browser: runs each `examples/<name>/pipeline.json` with
 * the CLI (`whittle run … --out runs/examples/<name>`, which writes report.html), opens the page from
 * disk in headless Chromium with every non-file request aborted, and checks that each chart the run's
 * data calls for (the per-layer, per-stage and report-item charts, computed here from report.json,
 * the saved models and the stage items) is on the page with all its SVG marks, that every image
 * decodes and nothing was fetched. Saves a full-page screenshot per example in docs/reports/ and a
 * summary in bench/example-reports/results.{md,json}.
 *
 *   pnpm exec tsc -b bench && node bench/dist/example-reports.js [--examples quickstart,web] [--skip-run] [--runs runs/examples] [--shots docs/reports]
 *
 * `--check-only` checks the pages the last `whittle run` of each example wrote, running nothing
 * (after a fix to this script); `--skip-run` re-renders the pages of earlier runs with `whittle report <folder>` instead of running
 * the pipelines again (a run of n3h or sp-lamp takes several minutes on 2 cores). The examples run
 * as committed: no option is shortened. With `--examples`, the other examples' rows are kept from the
 * previous results file, each with the command and date that produced it. Exit 1 when any example
 * fails a check.
 */
import { runPluginReportOptions } from '@whittle/cli';
import { selectBackend } from '@whittle/engine';
import { readReportData, barsCharts, layerCharts, seriesCharts, stageCharts, type ReportData } from '@whittle/report';
import { CHROMIUM_TEST_ARGS, chromiumExecutable } from '@whittle/testing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    examples: { type: 'string', default: '' },
    'skip-run': { type: 'boolean', default: false },
    'check-only': { type: 'boolean', default: false },
    runs: { type: 'string', default: 'runs/examples' },
    shots: { type: 'string', default: 'docs/reports' },
  },
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'packages', 'cli', 'dist', 'src', 'bin.js');
const resultsDir = join(root, 'bench', 'example-reports');

/** Every example with a pipeline (examples/browser has none: it is a page, tested on its own). */
function examples(): string[] {
  const all = readdirSync(join(root, 'examples')).filter((name) => existsSync(join(root, 'examples', name, 'pipeline.json'))).sort();
  if (args.examples === '') return all;
  const picked = args.examples.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = picked.filter((p) => !all.includes(p));
  if (unknown.length > 0) throw new Error(`--examples: no examples/${unknown.join(', examples/')}/pipeline.json (have ${all.join(', ')})`);
  return picked;
}

/** A chart the data calls for: its id and how many marks it must draw. */
interface ExpectedChart {
  readonly id: string;
  readonly marks: number;
}

/** The charts report.html must hold for this data, in page order (the chart builders, given the data). */
function expectedCharts(data: ReportData): ExpectedChart[] {
  const charts = [...(data.layers === undefined ? [] : layerCharts(data.layers)), ...stageCharts(data.report)];
  for (const stage of data.report.stages) {
    for (const item of data.stageItems.get(stage.index) ?? []) {
      const label = `${stage.index}: ${stage.label}`;
      if (item.kind === 'series') charts.push(...seriesCharts(item, label));
      if (item.kind === 'bars') charts.push(...barsCharts(item, label));
    }
  }
  return charts.map((c) => ({ id: c.id, marks: c.marks }));
}

interface ExampleResult {
  readonly example: string;
  /** The invocation that produced this row, and when (rows kept from an earlier invocation keep theirs). */
  readonly command?: string;
  readonly date?: string;
  readonly ran: 'run' | 'report' | 'run (page checked again)';
  readonly seconds: number;
  readonly exitCode: number;
  readonly status: string;
  readonly charts: { id: string; expected: number; drawn: number }[];
  readonly images: number;
  readonly tables: number;
  readonly blockedRequests: string[];
  readonly notes: readonly string[];
  readonly screenshot: string;
  readonly failures: string[];
}

async function checkExample(browser: Browser, example: string): Promise<ExampleResult> {
  const out = join(root, args.runs, example);
  const log = join(root, args.runs, `${example}.log`);
  mkdirSync(dirname(log), { recursive: true });
  const started = Date.now();
  const command = args['skip-run'] ? [cli, 'report', out] : [cli, 'run', join(root, 'examples', example, 'pipeline.json'), '--out', out, '--force'];
  const ran = args['check-only'] ? 'run (page checked again)' : args['skip-run'] ? 'report' : 'run';
  let child: { status: number | null };
  let seconds: number;
  if (args['check-only']) {
    // The page of the last run, as it wrote it; the seconds are that run's (its log's time since report.json's start).
    process.stdout.write(`${example}: checking the page of the last run in ${relative(root, out)}\n`);
    const startedAt = existsSync(join(out, 'report.json')) ? Date.parse((JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { startedAt: string }).startedAt) : Number.NaN;
    seconds = existsSync(log) && Number.isFinite(startedAt) ? (statSync(log).mtimeMs - startedAt) / 1000 : Number.NaN;
    child = { status: existsSync(join(out, 'report.json')) ? 0 : null };
  } else {
    process.stdout.write(`${example}: node ${command.map((c) => relative(root, c) || c).join(' ')} (log ${relative(root, log)})\n`);
    const spawned = spawnSync(process.execPath, command, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    writeFileSync(log, `${spawned.stdout}${spawned.stderr}`);
    child = spawned;
    seconds = (Date.now() - started) / 1000;
  }
  const failures: string[] = [];
  if (child.status !== 0) failures.push(`exit code ${child.status}`);
  const file = join(out, 'report.html');
  const shot = join(root, args.shots, `${example}.png`);
  if (!existsSync(file)) {
    return { example, ran, seconds, exitCode: child.status ?? -1, status: 'no report.html', charts: [], images: 0, tables: 0, blockedRequests: [], notes: [], screenshot: '', failures: [...failures, 'no report.html written'] };
  }
  // What the page must show, from the run's folder, with the run's plugins loaded as the CLI loads
  // them (their custom layers). Each layer is measured once, quickly: the bars depend on which layers
  // have a time, not on the times.
  const data = await readReportData(out, { ...(await runPluginReportOptions(out)), measureLatency: { warmup: 0, runs: 1, rounds: 1 } });
  for (const p of data.problems) process.stdout.write(`    reading ${example}'s run: ${p}\n`);
  const expected = expectedCharts(data);
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const blocked: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) await route.continue();
    else {
      blocked.push(url);
      await route.abort();
    }
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const drawn = await page.$$eval('figure.chart', (figures) => figures.map((f) => ({
    id: f.getAttribute('data-chart') ?? '',
    drawn: f.querySelectorAll('svg g.role-mark > *').length,
    height: f.querySelector('svg')?.getBoundingClientRect().height ?? 0,
    named: (f.querySelector('svg > title')?.textContent ?? '').length > 3 && (f.querySelector('svg > desc')?.textContent ?? '').length > 20,
    // Axes with labels (not the grid-only ones) carry a title.
    axesTitled: Array.from(f.querySelectorAll('svg g.role-axis')).filter((axis) => axis.querySelector('.role-axis-label text') !== null)
      .every((axis) => (axis.querySelector('.role-axis-title text')?.textContent ?? '').trim() !== ''),
  })));
  const images = await page.$$eval('figure img', (imgs) => imgs.map((i) => ({ alt: i.getAttribute('alt') ?? '', width: (i as HTMLImageElement).naturalWidth })));
  const tables = await page.locator('table').count();
  const notes = await page.locator('#notes ~ ul li').allTextContents();
  const ids = drawn.map((c) => c.id);
  const want = expected.map((c) => c.id);
  if (JSON.stringify(ids) !== JSON.stringify(want)) failures.push(`charts on the page [${ids.join(', ')}] are not the charts the data calls for [${want.join(', ')}]`);
  const charts = drawn.map((c, i) => ({ id: c.id, expected: expected[i]?.marks ?? -1, drawn: c.drawn }));
  for (const [i, c] of drawn.entries()) {
    if (c.drawn !== expected[i]?.marks) failures.push(`${c.id} (#${i + 1}): ${c.drawn} marks drawn, the data has ${expected[i]?.marks}`);
    if (c.drawn === 0) failures.push(`${c.id} (#${i + 1}): empty`);
    if (c.height < 50) failures.push(`${c.id} (#${i + 1}): ${c.height}px high`);
    if (!c.named) failures.push(`${c.id} (#${i + 1}): no accessible title/description`);
    if (!c.axesTitled) failures.push(`${c.id} (#${i + 1}): an axis without a title`);
  }
  for (const img of images) if (img.width === 0 || img.alt.trim() === '') failures.push(`an image does not decode or has no alt text (${img.alt})`);
  if (blocked.length > 0) failures.push(`fetched ${blocked.length} URLs: ${blocked.slice(0, 3).join(', ')}`);
  if (errors.length > 0) failures.push(`page errors: ${errors.join('; ')}`);
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return { example, ran, seconds, exitCode: child.status ?? -1, status: data.report.status, charts, images: images.length, tables, blockedRequests: blocked, notes, screenshot: relative(root, shot), failures };
}

const executable = chromiumExecutable();
if (executable === undefined) process.exit(2);
await selectBackend('wasm'); // to load the run's models for the expected charts
const browser = await chromium.launch({ executablePath: executable, headless: true, args: [...CHROMIUM_TEST_ARGS] });
const results: ExampleResult[] = [];
const commandLine = `node bench/dist/example-reports.js ${process.argv.slice(2).join(' ')}`.trim();
try {
  for (const example of examples()) {
    const result = await checkExample(browser, example);
    results.push(result);
    process.stdout.write(`  ${example}: ${result.failures.length === 0 ? 'ok' : 'FAILED'} in ${result.seconds.toFixed(0)} s, ${result.charts.length} charts (${result.charts.map((c) => `${c.id} ${c.drawn}/${c.expected}`).join(', ')}), ${result.images} images, ${result.tables} tables -> ${result.screenshot}\n`);
    for (const f of result.failures) process.stdout.write(`    ${f}\n`);
  }
} finally {
  await browser.close();
}

const load = loadavg().map((l) => l.toFixed(2)).join(' ');
const chromiumVersion = spawnSync(executable, ['--version'], { encoding: 'utf8' }).stdout.trim();
mkdirSync(resultsDir, { recursive: true });
const resultsJson = join(resultsDir, args['skip-run'] ? 'results-rerendered.json' : 'results.json');
const now = new Date().toISOString();
const fresh = results.map((r) => ({ ...r, command: commandLine, date: now }));
// A subset run keeps the other examples' rows of the previous file, with their own command and date.
const previous: { command: string; date: string; results: ExampleResult[] } | undefined = args.examples !== '' && existsSync(resultsJson)
  ? (JSON.parse(readFileSync(resultsJson, 'utf8')) as { command: string; date: string; results: ExampleResult[] })
  : undefined;
const kept = (previous?.results ?? []).filter((r) => !fresh.some((f) => f.example === r.example)).map((r) => ({ ...r, command: r.command ?? previous!.command, date: r.date ?? previous!.date }));
const rows = [...fresh, ...kept].sort((a, b) => a.example.localeCompare(b.example));
writeFileSync(resultsJson, `${JSON.stringify({ command: commandLine, chromium: chromiumVersion, loadavg: load, date: now, results: rows }, null, 2)}\n`);
const md = [
  '# report.html of every example in headless Chromium',
  '',
  `Command: \`pnpm exec tsc -b bench && ${commandLine}\` (${args['check-only'] ? 'the pages the last `whittle run` of each example wrote, checked again' : args['skip-run'] ? 'pages re-rendered with `whittle report` from earlier runs' : 'each example run as committed with `whittle run`'}), ${new Date().toISOString()}, ${chromiumVersion}, load average ${load} (2 shared cores).`,
  '',
  'Each page opened from disk with every non-file request aborted; "charts" lists each chart as marks drawn / marks the data has (bars, points, lines), in page order.',
  '',
  '| example | ran | s | status | charts (drawn/expected marks) | images | tables | fetched | screenshot | result |',
  '|---|---|---:|---|---|---:|---:|---:|---|---|',
  ...rows.map((r) => `| ${r.example} | ${r.ran} | ${r.seconds.toFixed(0)} | ${r.status} | ${r.charts.map((c) => `${c.id} ${c.drawn}/${c.expected}`).join(', ')} | ${r.images} | ${r.tables} | ${r.blockedRequests.length} | [${r.screenshot.split('/').at(-1)}](../../${r.screenshot}) | ${r.failures.length === 0 ? 'ok' : `FAILED: ${r.failures.join('; ')}`} |`),
  '',
  ...(kept.length === 0 ? [] : [`Rows kept from earlier invocations: ${kept.map((r) => `${r.example} (\`${r.command}\`, ${r.date})`).join('; ')}.`, '']),
  ...rows.filter((r) => r.notes.length > 0).flatMap((r) => [`Notes on ${r.example}'s page: ${r.notes.join(' / ')}`, '']),
];
writeFileSync(join(resultsDir, args['skip-run'] ? 'results-rerendered.md' : 'results.md'), `${md.join('\n')}\n`);
process.stdout.write(`load average ${load}; results in ${relative(root, resultsDir)}/\n`);
process.exit(rows.some((r) => r.failures.length > 0) ? 1 : 0);
