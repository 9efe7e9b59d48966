/**
 * @whittle/report — report.html for a Whittle run: one self-contained page (no network) with the
 * run's charts rendered to SVG at write time by Vega-Lite, and whatever report items its stages wrote.
 */
export { REPORT_HTML_FILE, readReportData, writeReportHtml, type WriteReportHtmlOptions, type WrittenReport } from './write-report-html.js';
export { renderReportHtml } from './render-html.js';
export { writeComparisonHtml, type WrittenComparison } from './write-comparison-html.js';
export { renderComparisonHtml } from './render-comparison-html.js';
export { readRunPoints, type RunPoint } from './run-point.js';
export { comparisonCharts, comparisonMetric } from './charts/comparison-charts.js';
export type { ReportData } from './report-data.js';
export { REPORT_ITEM_SUFFIX, BarsItemSchema, ImageItemSchema, ReportItemSchema, SeriesItemSchema, TableItemSchema, type BarsItem, type ImageItem, type ReportItem, type SeriesItem, type TableItem } from './report-item.js';
export { IMAGE_TYPES, stageItems, type EmbeddedImage, type StageItem, type StageItems } from './stage-items.js';
export { layerRows, type LayerRow } from './layer-rows.js';
export { measureLayerLatencies, measureLayerLatency, type LayerLatency, type LayerLatencyOptions } from './layer-latency.js';
export { layerCharts, type LayerComparison } from './charts/layer-charts.js';
export { paretoFront, stageCharts } from './charts/stage-charts.js';
export { seriesCharts } from './charts/series-charts.js';
export { barsCharts } from './charts/bars-charts.js';
export { groupedBars, type Bar } from './charts/grouped-bars.js';
export { renderChart, type ChartInput } from './charts/render-chart.js';
