/** The PaperIndex contract for LunrPaperIndex building and searching on the calling thread. */
import { LunrPaperIndex } from '../../src/search/lunr-paper-index.js';
import { indexContract } from './index-contract.js';
import { recordingLogger } from './fixture.js';

indexContract('LunrPaperIndex in-thread', (feed) => new LunrPaperIndex({ feed, log: recordingLogger(), useWorker: false, batchSize: 100 }));
