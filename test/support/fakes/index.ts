/** Shared fakes of the ports for tests (one of each; see the files for what they record). */
export { FakePlatform, type FakePlatformOptions, type PostCall } from './platform.js';
export { recordingLogger, type LogLine, type RecordingLogger } from './logger.js';
