import { Value } from '@sinclair/typebox/value';
import type { StageRecord } from '@whittle/kernel';
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, normalize, relative } from 'node:path';
import { REPORT_ITEM_SUFFIX, ReportItemSchema, type ImageItem, type ReportItem } from './report-item.js';

/** Image types embedded as data URIs, by file extension. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif' };

/** An image ready for the page: its descriptor and its bytes as a data URI. */
export interface EmbeddedImage extends ImageItem {
  readonly dataUri: string;
}

export type StageItem = Exclude<ReportItem, ImageItem> | EmbeddedImage;

/** What a stage contributes to the page, and what could not be read (named, not fatal). */
export interface StageItems {
  readonly items: StageItem[];
  readonly problems: string[];
}

/** `path` inside `root`, or undefined when it leaves it. */
function inside(root: string, path: string): string | undefined {
  const rel = relative(root, join(root, path));
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : normalize(rel);
}

async function embed(outDir: string, item: ImageItem, descriptorDir: string): Promise<EmbeddedImage> {
  const rel = inside(outDir, join(descriptorDir, item.file));
  if (rel === undefined) throw new Error(`image "${item.file}" leaves the run's folder`);
  const type = IMAGE_TYPES[extname(rel).toLowerCase()];
  if (type === undefined) throw new Error(`image "${item.file}" is not one of ${Object.keys(IMAGE_TYPES).join(', ')}`);
  const bytes = await readFile(join(outDir, rel));
  return { ...item, dataUri: `data:${type};base64,${bytes.toString('base64')}` };
}

/**
 * Reads the report items among a stage's artifacts: `*.report.json` descriptors (see `ReportItem`)
 * and image files that no descriptor names. A descriptor that does not parse or validate, or an
 * image that cannot be read, is reported in `problems` and left out.
 */
export async function stageItems(outDir: string, stage: StageRecord): Promise<StageItems> {
  const items: StageItem[] = [];
  const problems: string[] = [];
  const named = new Set<string>();
  for (const artifact of stage.artifacts.filter((a) => a.endsWith(REPORT_ITEM_SUFFIX))) {
    try {
      const rel = inside(outDir, artifact);
      if (rel === undefined) throw new Error('leaves the run\'s folder');
      const parsed: unknown = JSON.parse(await readFile(join(outDir, rel), 'utf8'));
      if (!Value.Check(ReportItemSchema, parsed)) {
        const first = [...Value.Errors(ReportItemSchema, parsed)][0];
        throw new Error(`not a report item (${first === undefined ? 'invalid' : `${first.path || '/'}: ${first.message}`})`);
      }
      if (parsed.kind === 'image') {
        const image = await embed(outDir, parsed, dirname(rel));
        named.add(normalize(join(dirname(rel), parsed.file)));
        items.push(image);
      } else {
        items.push(parsed);
      }
    } catch (error) {
      problems.push(`stage ${stage.index} (${stage.label}): ${artifact}: ${(error as Error).message}`);
    }
  }
  for (const artifact of stage.artifacts) {
    const rel = inside(outDir, artifact);
    if (rel === undefined || named.has(rel) || IMAGE_TYPES[extname(rel).toLowerCase()] === undefined) continue;
    try {
      const file = relative(dirname(rel), rel);
      items.push(await embed(outDir, { kind: 'image', title: file, file, alt: `${file}, an image written by stage ${stage.index} (${stage.label})` }, dirname(rel)));
    } catch (error) {
      problems.push(`stage ${stage.index} (${stage.label}): ${artifact}: ${(error as Error).message}`);
    }
  }
  return { items, problems };
}
