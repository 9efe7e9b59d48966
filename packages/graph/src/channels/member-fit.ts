import { memberIndices, type GroupMember } from './dependency-group.js';

/**
 * Describes how one layer sees a group (`indicesByChannel`: group channel → indices on the layer's
 * channel axis) as a `GroupMember`, or returns undefined when no offset/stride/positions/multiplier
 * form reproduces the indices exactly (the group is then reported as unprunable).
 *
 * ```ts
 * fitMember('fc', 'consumer', new Map([[0, [0, 4]], [1, [1, 5]]]), 2); // { layer: 'fc', role: 'consumer', offset: 0, stride: 4, positions: 2 }
 * ```
 */
export function fitMember(
  layer: string,
  role: GroupMember['role'],
  indicesByChannel: ReadonlyMap<number, number[]>,
  groupChannels: number,
): GroupMember | undefined {
  const channels = [...indicesByChannel.keys()].sort((a, b) => a - b);
  const start = channels[0];
  const last = channels[channels.length - 1];
  if (start === undefined || last === undefined || last - start + 1 !== channels.length) return undefined;
  const first = (indicesByChannel.get(start) as number[]).slice().sort((a, b) => a - b);
  const offset = first[0] as number;
  let multiplier = 1;
  while (multiplier < first.length && first[multiplier] === offset + multiplier) multiplier++;
  if (first.length % multiplier !== 0) return undefined;
  const positions = first.length / multiplier;
  const stride = positions > 1 ? (first[multiplier] as number) - offset : 0;
  const member: GroupMember = {
    layer,
    role,
    offset,
    ...(positions > 1 ? { stride, positions } : {}),
    ...(multiplier > 1 ? { multiplier } : {}),
    ...(start !== 0 || last + 1 !== groupChannels ? { span: { start, end: last + 1 } } : {}),
  };
  for (const channel of channels) {
    const actual = (indicesByChannel.get(channel) as number[]).slice().sort((a, b) => a - b);
    const expected = memberIndices(member, channel).sort((a, b) => a - b);
    if (actual.length !== expected.length || actual.some((v, i) => v !== expected[i])) return undefined;
  }
  return member;
}
