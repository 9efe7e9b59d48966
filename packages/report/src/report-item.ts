import { Type, type Static } from '@sinclair/typebox';

/**
 * What a stage may put into report.html: a file `<name>.report.json` among its artifacts (written
 * with `ctx.artifacts.writeFile`) holding one of these. The kind says how it is drawn:
 *
 * - `series`: one line per numeric column against `x` (training history: loss and metrics per epoch);
 *   columns whose name contains "loss" are drawn in a chart of their own.
 * - `image`: a PNG/JPEG/WebP/GIF artifact of the same stage, embedded as a data URI, with alt text.
 * - `table`: a small table (columns and rows of strings, numbers, booleans).
 * - `bars`: horizontal bars per category (e.g. per layer), one bar per numeric column side by side
 *   (e.g. the time of each of two cores per layer).
 *
 * Image artifacts that no descriptor names are embedded too, with their file name as title.
 */
export const SeriesItemSchema = Type.Object({
  kind: Type.Literal('series'),
  title: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  /** The column on the x axis (e.g. "epoch"). */
  x: Type.String({ minLength: 1 }),
  rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])), { minItems: 1 }),
}, { additionalProperties: false });

export const ImageItemSchema = Type.Object({
  kind: Type.Literal('image'),
  title: Type.String({ minLength: 1 }),
  /** The image, relative to the stage's folder. */
  file: Type.String({ minLength: 1 }),
  /** What the image shows, for people who cannot see it. */
  alt: Type.String({ minLength: 1 }),
  caption: Type.Optional(Type.String()),
}, { additionalProperties: false });

const Cell = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const TableItemSchema = Type.Object({
  kind: Type.Literal('table'),
  title: Type.String({ minLength: 1 }),
  caption: Type.Optional(Type.String()),
  columns: Type.Array(Type.String(), { minItems: 1 }),
  rows: Type.Array(Type.Array(Cell)),
}, { additionalProperties: false });

export const BarsItemSchema = Type.Object({
  kind: Type.Literal('bars'),
  title: Type.String({ minLength: 1 }),
  /** What the bars show, for people who cannot see them (the chart's description starts with it). */
  description: Type.Optional(Type.String()),
  /** The column holding each row's category (e.g. "layer"), drawn on the vertical axis in row order. */
  category: Type.String({ minLength: 1 }),
  /** The value axis' title, e.g. "ms". */
  axis: Type.String({ minLength: 1 }),
  rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])), { minItems: 1 }),
}, { additionalProperties: false });

export const ReportItemSchema = Type.Union([SeriesItemSchema, ImageItemSchema, TableItemSchema, BarsItemSchema]);

export type SeriesItem = Static<typeof SeriesItemSchema>;
export type ImageItem = Static<typeof ImageItemSchema>;
export type TableItem = Static<typeof TableItemSchema>;
export type BarsItem = Static<typeof BarsItemSchema>;
export type ReportItem = Static<typeof ReportItemSchema>;

/** The suffix of a report item descriptor among a stage's artifacts. */
export const REPORT_ITEM_SUFFIX = '.report.json';
