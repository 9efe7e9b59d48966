import type { RunReport, StageRecord } from '@whittle/kernel';
import { TempDir } from '@whittle/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { paretoFront, renderReportHtml, stageItems, type ReportData } from '../src/index.js';
import { TINY_PNG } from './fixtures/picture-target.js';

const summary = (macs: number, accuracy: number, latencyMs?: number) => ({ params: macs / 10, macs, metrics: { accuracy }, ...(latencyMs === undefined ? {} : { latencyMs }) });

function stage(index: number, label: string, model: ReturnType<typeof summary>, artifacts: string[] = []): StageRecord {
  return { index, hook: 'deploy', plugin: label, label, status: 'completed', startedAt: '2026-01-01T00:00:00Z', durationMs: 10, model, metrics: {}, artifacts };
}

function run(stages: StageRecord[]): RunReport {
  return { whittle: '0.1.0', pipeline: 'p.json', configHash: 'x', seed: 1, backend: 'wasm', startedAt: '2026-01-01T00:00:00Z', status: 'completed', initial: summary(1000, 0.1), stages };
}

const data = (report: RunReport, extra: Partial<ReportData> = {}): ReportData => ({ report, outDir: '/runs/demo', stageItems: new Map(), problems: [], ...extra });
const chartIds = (html: string): string[] => [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]!);

describe('renderReportHtml', () => {
  it('leaves out the sections it has no data for: no per-layer charts without models, no latency view without a measured stage', async () => {
    const html = await renderReportHtml(data(run([stage(0, 'prune', summary(500, 0.2))])));
    expect(chartIds(html)).toEqual(['stage-macs', 'stage-metrics']);
    expect(html).not.toContain('Per layer');
    expect(html).not.toContain('id="notes"');
    expect(html).toContain('<title>Whittle run: demo</title>');
  });

  it('draws the latency/metric view when stages measured latency, counting only stages that measured anew', async () => {
    const dense = summary(1000, 0.8, 9);
    const html = await renderReportHtml(data(run([stage(0, 'profile dense', dense), stage(1, 'score', dense), stage(2, 'prune', summary(400, 0.7)), stage(3, 'profile pruned', summary(400, 0.7, 4))])));
    expect(chartIds(html)).toContain('stage-pareto');
    // Two measured points (the score stage repeats the dense figures): two points, two labels, one front line.
    expect(html).toMatch(/data-chart="stage-pareto" data-marks="5"/);
  });

  it('makes every chart an accessible image (role, title, description) with a caption, and escapes text', async () => {
    const html = await renderReportHtml(data(run([stage(0, '<b>prune</b>', summary(500, 0.2))]), { problems: ['a & b'] }));
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs.length).toBe(2);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-labelledby="chart-\d+-[\w-]+-title chart-\d+-[\w-]+-desc"/);
    expect(html.match(/<figcaption>/g)?.length).toBe(2);
    expect(html).toContain('&lt;b&gt;prune&lt;/b&gt;');
    expect(html).not.toContain('<b>prune</b>');
    expect(html).toContain('<li>a &amp; b</li>');
    // Self-contained: no script, nothing fetched.
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
  it('draws a bars item as grouped bars per category, leaving out null values, and a table item as a table', async () => {
    const bars = { kind: 'bars' as const, title: 'Time per core', category: 'layer', axis: 'ms', rows: [{ layer: 'conv1', lut: 0.5, dsp: 0.25 }, { layer: 'conv2', lut: null, dsp: 1 }] };
    const table = { kind: 'table' as const, title: 'Policy', columns: ['layer', 'bits'], rows: [['conv1', 4]] };
    const html = await renderReportHtml(data(run([stage(0, 'deploy', summary(500, 0.2))]), { stageItems: new Map([[0, [bars, table]]]) }));
    expect(chartIds(html)).toEqual(['stage-macs', 'stage-metrics', 'bars']);
    // Three bars (conv2 has no LUT time), two series in the legend.
    expect(html).toMatch(/data-chart="bars" data-marks="3"/);
    expect(html).toContain('Time per core, 0: deploy: 2 layers; summed ms: lut 0.5000, dsp 1.250.');
    expect(html).toMatch(/<table class="item"><caption>Policy<\/caption>/);
  });
});

describe('paretoFront', () => {
  it('keeps the points no other beats on both latency and the metric', () => {
    const points = [{ latencyMs: 1, metric: 0.5 }, { latencyMs: 2, metric: 0.7 }, { latencyMs: 3, metric: 0.6 }, { latencyMs: 2, metric: 0.4 }];
    expect(paretoFront(points, false)).toEqual([points[0], points[1]]);
    expect(paretoFront(points, true)).toEqual([points[0], points[3]]);
  });
});

describe('stageItems', () => {
  const temp = new TempDir('whittle-report-items-');
  afterAll(() => temp.cleanup());

  it('embeds described and undescribed images as data URIs, reads tables and series, and names what it cannot read', async () => {
    const dir = 'stages/03-deploy-pictures';
    temp.write(`${dir}/grid.png`, TINY_PNG);
    temp.write(`${dir}/loose.png`, TINY_PNG);
    temp.write(`${dir}/grid.report.json`, { kind: 'image', title: 'Grid', file: 'grid.png', alt: 'four pixels' });
    temp.write(`${dir}/t.report.json`, { kind: 'table', title: 'T', columns: ['a'], rows: [[1]] });
    temp.write(`${dir}/h.report.json`, { kind: 'series', title: 'H', x: 'epoch', rows: [{ epoch: 1, loss: 2 }] });
    temp.write(`${dir}/b.report.json`, { kind: 'bars', title: 'B', category: 'layer', axis: 'ms', rows: [{ layer: 'conv1', ms: 2 }] });
    temp.write(`${dir}/bad.report.json`, { kind: 'image', title: 'no file or alt' });
    temp.write(`${dir}/escape.report.json`, { kind: 'image', title: 'x', file: '../../../etc/passwd.png', alt: 'x' });
    temp.write(`${dir}/junk.report.json`, '{ not json');
    const files = ['grid.png', 'loose.png', 'grid.report.json', 't.report.json', 'h.report.json', 'b.report.json', 'bad.report.json', 'escape.report.json', 'junk.report.json'].map((f) => `${dir}/${f}`);
    const { items, problems } = await stageItems(temp.dir, stage(3, 'pictures', summary(1, 1), files));
    expect(items.map((i) => `${i.kind}:${i.title}`)).toEqual(['image:Grid', 'table:T', 'series:H', 'bars:B', 'image:loose.png']);
    const image = items[0] as { dataUri: string };
    expect(image.dataUri).toBe(`data:image/png;base64,${TINY_PNG.toString('base64')}`);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/bad\.report\.json: not a report item/);
    expect(problems[1]).toMatch(/escape\.report\.json: image "\.\.\/\.\.\/\.\.\/etc\/passwd\.png" leaves the run's folder/);
    expect(problems[2]).toMatch(/junk\.report\.json: .*JSON/);
  });
});
