/** The one tie rule lives in @whittle/graph (`leastImportantFirst`): on equal scores the later channel is removed. */
export { lowestChannels } from '@whittle/graph';
