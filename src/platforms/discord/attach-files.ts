/**
 * Files that go with a digest message on Discord (a weekly digest header's chart PNG):
 * one multipart request, the message JSON as payload_json and each file as files[n],
 * listed in `attachments`. The first image is shown inside the header's embed
 * (`image: attachment://<name>`), so the chart sits under the title rather than as a
 * loose file under the message. The nonce and the key stamped in the embed (message-key.ts)
 * are untouched: a retried post is still deduplicated and found by findPosted.
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { PostOptions } from '../../core/ports.js';

type Files = NonNullable<PostOptions['files']>;

export interface RawUpload {
  name: string;
  data: Uint8Array;
  contentType: string;
}

/** A name Discord keeps as sent (its attachment:// reference must match it exactly). */
function safeName(name: string, i: number): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 100);
  return cleaned || `file-${i + 1}`;
}

/** The body and files of POST /channels/:id/messages with `files` attached; the body as given when there are none. */
export function withFiles(body: RESTPostAPIChannelMessageJSONBody, files: Files | undefined): { body: RESTPostAPIChannelMessageJSONBody; files: RawUpload[] } {
  if (!files?.length) return { body, files: [] };
  const uploads = files.slice(0, 10).map((f, i) => ({ name: safeName(f.name, i), data: f.data, contentType: f.contentType }));
  const out: RESTPostAPIChannelMessageJSONBody = { ...body, attachments: uploads.map((f, i) => ({ id: i, filename: f.name })) };
  const image = uploads.find((f) => f.contentType.startsWith('image/'));
  const [first, ...rest] = body.embeds ?? [];
  if (image && first && !first.image) out.embeds = [{ ...first, image: { url: `attachment://${image.name}` } }, ...rest];
  return { body: out, files: uploads };
}
