import { describe, expect, it } from 'vitest';
import { candidateWidths, LatencyGrid, sideValues, sideWidth, thinOut, type ChannelSide } from '../../src/index.js';

/** removed[w] for a group of `channels` channels that appear `times` times on a layer side. */
const removed = (channels: number, times = 1): number[] => Array.from({ length: channels + 1 }, (_, w) => (channels - w) * times);

describe('width steps', () => {
  it('prices every multiple of the step below the width, and the full width', () => {
    expect(candidateWidths(20, 8)).toEqual([8, 16, 20]);
    expect(candidateWidths(16, 8)).toEqual([8, 16]);
    expect(candidateWidths(6, 8)).toEqual([6]);
    expect(candidateWidths(3, 1)).toEqual([1, 2, 3]);
  });

  it('lists every count a side can take when several groups feed it (a concatenation, a flatten)', () => {
    const concat: ChannelSide = { full: 24 + 3, terms: [{ group: 'a', removed: removed(16) }, { group: 'b', removed: removed(8) }] };
    const candidates = new Map([['a', [8, 16]], ['b', [4, 8]]]);
    expect(sideValues(concat, candidates)).toEqual([15, 19, 23, 27]);
    expect(sideWidth(concat, new Map([['a', 8], ['b', 4]]))).toBe(15);
    expect(sideWidth(concat, new Map())).toBe(27);
    const flatten: ChannelSide = { full: 16 * 4, terms: [{ group: 'a', removed: removed(16, 4) }] };
    expect(sideValues(flatten, candidates)).toEqual([32, 64]);
  });

  it('thins a long list to at most max values, keeping both ends', () => {
    expect(thinOut([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
    expect(thinOut([1, 2], 16)).toEqual([1, 2]);
    const many = Array.from({ length: 64 }, (_, i) => 8 * (i + 1));
    const thin = thinOut(many, 16);
    expect(thin).toHaveLength(16);
    expect(thin[0]).toBe(8);
    expect(thin[15]).toBe(512);
  });
});

describe('LatencyGrid', () => {
  const grid = new LatencyGrid([8, 16], [8, 24], [[1, 3], [5, 7]]);

  it('returns measured points exactly and interpolates bilinearly between them', () => {
    expect(grid.at(8, 8)).toBe(1);
    expect(grid.at(16, 24)).toBe(7);
    expect(grid.at(12, 8)).toBe(3);
    expect(grid.at(8, 16)).toBe(2);
    expect(grid.at(12, 16)).toBe(4);
  });

  it('clamps outside the measured range and handles one-point axes (depthwise)', () => {
    expect(grid.at(4, 4)).toBe(1);
    expect(grid.at(32, 99)).toBe(7);
    const depthwise = new LatencyGrid([8, 16], [32], [[2], [4]]);
    expect(depthwise.at(12, 999)).toBe(3);
  });
});
