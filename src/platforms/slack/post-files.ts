/**
 * Files that go with a digest message on Slack (a weekly digest header's chart PNG).
 *
 * Order and exactly-once: the header goes out first, by chat.postMessage with its
 * metadata, exactly as before, so findPosted and the posted log keep working unchanged;
 * the chart follows it by files.uploadV2 (getUploadURLExternal, the upload, then
 * completeUploadExternal sharing it into the same conversation, which posts it as a
 * message of the bot's right under the header). The other orders were worse: uploading
 * first means a crash between the two posts the chart again on the retry (an upload
 * carries no metadata for findPosted to find), and the header as the upload's
 * initial_comment cannot carry metadata or blocks at all. Here the worst case, a crash or
 * a failed upload between the two, is a header without its chart, never anything twice.
 *
 * A failed upload is logged and costs nothing else: the header is posted and recorded.
 */
import type { Logger, PostOptions } from '../../core/ports.js';

type Files = NonNullable<PostOptions['files']>;

export interface FileUploader {
  call(teamId: string, method: string, args: Record<string, unknown>): Promise<unknown>;
}

/** Shares each file into `conversationId` (a channel id or the D… id chat.postMessage answered with). */
export async function shareFiles(web: FileUploader, teamId: string, conversationId: string, files: Files, log: Logger): Promise<void> {
  for (const f of files) {
    try {
      await web.call(teamId, 'files.uploadV2', {
        channel_id: conversationId,
        file: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength),
        filename: f.name,
        title: f.name,
        ...(f.contentType.startsWith('image/') ? { alt_text: 'Chart of the week’s most upvoted papers' } : {}),
      });
    } catch (err) {
      log.warn({ err, team: teamId, channel: conversationId, file: f.name }, 'could not attach a file to a digest message; posted without it');
    }
  }
}
