export * from './loss/wavelet-kd-loss.js';
export * from './gan/train-pix2pix.js';
export * from './gan/pix2pix-options.js';
export * from './data/sobel-edges.js';
export * from './data/paired-splits.js';
export * from './data/fashion-mnist-edges-provider.js';
export * from './data/paired-folder-provider.js';
