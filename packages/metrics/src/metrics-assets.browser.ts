import { runtimeError } from '@whittle/kernel';

/**
 * The browser build's `metricsAssetPath` (package.json's `browser` field maps the Node module to
 * this one): assets are files in the installed package, which a page cannot read by path.
 */
export function metricsAssetPath(...segments: string[]): string {
  throw runtimeError('ASSET_NOT_FOUND', `metrics asset ${segments.join('/')} is read from the installed package, which a browser page cannot do`, 'Load the asset over HTTP with tf.loadLayersModel(url) instead.');
}
