/** The PaperIndex contract for LunrPaperIndex's default: a build worker and pooled search workers. */
import { LunrPaperIndex } from '../../src/search/lunr-paper-index.js';
import { indexContract } from './index-contract.js';
import { recordingLogger } from './fixture.js';

// Two search workers, so answers that cross a pool (not just one worker) are covered, and
// still light on a shared 2-core machine.
indexContract('LunrPaperIndex pooled workers', (feed) => new LunrPaperIndex({ feed, log: recordingLogger(), searchThreads: 2, batchSize: 100 }));
