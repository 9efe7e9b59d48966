/**
 * @whittle/plugin-wavelet-kd — Wavelet Knowledge Distillation (Zhang et al., CVPR 2022) for
 * image-to-image GANs: the `distill` stage `wavelet-kd` (L1 on the teacher's Haar high-frequency
 * bands, with pixel-KD / no-KD / LL-only baselines and a configurable discriminator width), the
 * `recover` stage `pix2pix` (conditional GAN training), and the paired data providers
 * `fashion-mnist-edges` (Sobel edges → Fashion-MNIST image, 32×32) and `paired-folder` (pix2pix's A/ B/ layout).
 * The Haar DWT, SSIM and the Fréchet distance live in @whittle/metrics.
 */
import { definePluginManifest } from '@whittle/kernel';
import { fashionMnistEdgesProvider } from './data/fashion-mnist-edges-provider.js';
import { pairedFolderProvider } from './data/paired-folder-provider.js';
import { Pix2PixPlugin } from './stage/pix2pix-plugin.js';
import { WaveletKdPlugin } from './stage/wavelet-kd-plugin.js';

export { WKD_BAND_UNITS, WKD_BANDS, waveletKdLoss, type WkdBands, type WkdBandUnits } from './loss/wavelet-kd-loss.js';
export { teacherOutputs, trainPix2Pix, type DistillationTerm, type Pix2PixNetworks, type Pix2PixTrainingResult, type Pix2PixTrainingSettings, type StepListener } from './gan/train-pix2pix.js';
export { pix2pixTrainingProperties } from './gan/pix2pix-options.js';
export { sobelEdges } from './data/sobel-edges.js';
export { pairedPixelsOf, pairedSplits, type PairedPixels } from './data/paired-splits.js';
export { DEBIAN_FASHION_MNIST_DIR, EDGES_IMAGE_SIDE, fashionMnistEdgesProvider, type FashionMnistEdgesOptions } from './data/fashion-mnist-edges-provider.js';
export { pairedFolderProvider, type PairedFolderOptions } from './data/paired-folder-provider.js';
export { imageGridPng, type ImageGridOptions } from './report/image-grid.js';
export { LossHistory } from './report/loss-history.js';
export { GeneratorEvaluator, type GeneratorQuality } from './stage/evaluate-generator.js';
export { DISTILLATIONS, WaveletKdOptionsSchema, WaveletKdPlugin, type WaveletKdOptions } from './stage/wavelet-kd-plugin.js';
export { Pix2PixOptionsSchema, Pix2PixPlugin, type Pix2PixOptions } from './stage/pix2pix-plugin.js';

export default definePluginManifest({
  name: '@whittle/plugin-wavelet-kd',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [WaveletKdPlugin, Pix2PixPlugin],
  datasets: [fashionMnistEdgesProvider, pairedFolderProvider],
});
