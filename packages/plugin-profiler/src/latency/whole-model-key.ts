import { sideWidth, signatureKey, withChannels, type GroupWidths, type LatencySite } from '@whittle/graph';

/**
 * The latency-table key of a whole model: the profiled model's measured layer calls (their names
 * and signatures, batch included, device left out: the table's header names the device) at the
 * channel counts `widths` implies, hashed. Two models share a key when they have the same layers
 * with the same shapes, so a model measured on one device — a user's browser, say — is found again
 * when the same model is predicted elsewhere from that table: the predictor's fit then uses the
 * device's whole-model times, not the local machine's.
 *
 * ```ts
 * const key = wholeModelKey(predictor.sites, predictor.fullWidths()); // 'model:27 layer calls:9f1c…'
 * table.getModel(key)?.ms;
 * ```
 */
export function wholeModelKey(sites: readonly LatencySite[], widths: GroupWidths): string {
  const text = sites.map((site) => {
    const key = signatureKey(withChannels(site.signature, sideWidth(site.cin, widths), sideWidth(site.cout, widths)));
    return `${site.id}=${key.slice(0, key.indexOf('@'))}`; // without `@backend[/adapter]`
  }).join('\n');
  return `model:${sites.length} layer calls:${fnv1a64(text)}`;
}

/** FNV-1a, 64 bits, of the UTF-16 code units of `text`, as 16 hex digits (stable across platforms; not cryptographic). */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}
