import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/query.js';
import { Corpus } from '../../src/search/planner.js';
import { Segment } from '../../src/search/segment.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import {
  SNAPSHOT_VERSION,
  readSnapshot,
  snapshotPath,
  writeManifest,
  writeSegment,
  type SegmentImage,
} from '../../src/search/snapshot.js';
import { tempDir } from '../support/tmp.js';
import { recordingLogger, smallDocs } from './fixture.js';

// One temp root per file (removed after it); a fresh directory inside it per test.
const ROOT = tempDir('papers-search-');
const freshDir = () => fs.mkdtempSync(path.join(ROOT, 'd-'));

const QUERIES = ['video diffusion', 'title:video', 'diffu* -editing', 'difusion~1', '+language model', 'I2VEdit', 'author:zhang', '2405.16537'];

let base: SegmentImage;
let delta: SegmentImage;
beforeAll(() => {
  const docs = smallDocs();
  const b = new SegmentBuilder({ shardDocs: 64 });
  b.add(docs.slice(0, 250));
  base = b.build();
  const d = new SegmentBuilder({ base: new Segment(base.buffer, base.header) });
  d.add(docs.slice(250));
  // The delta supersedes one base paper (not one the queries look for).
  const victim = docs.findIndex((x, i) => i < 250 && !/video|diffus|i2vedit/i.test(x.title));
  delta = d.build({ dead: [victim] });
});

function answers(b: SegmentImage, d: SegmentImage | null) {
  const corpus = new Corpus(new Segment(b.buffer, b.header), d ? new Segment(d.buffer, d.header) : null);
  return QUERIES.map((q) => corpus.search(parseQuery(q), { limit: 50, filters: { minUpvotes: 1 } }));
}

async function save(dir: string, revision: number, withDelta = true): Promise<void> {
  const baseRef = await writeSegment(dir, base);
  const deltaRef = withDelta ? await writeSegment(dir, delta) : null;
  await writeManifest(dir, { revision, builtAt: '2026-01-02T03:04:05.000Z', base: baseRef, delta: deltaRef });
}

describe('snapshot round trip', () => {
  it('gives identical results after write → read', async () => {
    const dir = freshDir();
    await save(dir, 7);
    const loaded = (await readSnapshot(dir, recordingLogger()))!;
    expect(loaded.revision).toBe(7);
    expect(loaded.builtAt).toBe('2026-01-02T03:04:05.000Z');
    expect(loaded.base.header.docs).toBe(250);
    expect(loaded.delta!.header.docs).toBe(smallDocs().length - 250);
    expect(loaded.base.buffer).toBeInstanceOf(SharedArrayBuffer);
    const before = answers(base, delta);
    expect(before.every((r) => r.hits.length > 0)).toBe(true);
    expect(answers(loaded.base, loaded.delta)).toEqual(before);
  });
});

describe('snapshot files', () => {
  it('writes atomically, replacing the previous manifest and leaving no temp files', async () => {
    const dir = path.join(freshDir(), 'nested', 'index');
    await save(dir, 1);
    await save(dir, 2, false);
    const names = fs.readdirSync(dir).sort();
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).toContain('index.json');
    expect(names.every((n) => n === 'index.json' || n.endsWith('.seg'))).toBe(true);
    const log = recordingLogger();
    const loaded = await readSnapshot(dir, log);
    expect(loaded?.revision).toBe(2);
    expect(loaded?.delta).toBeNull();
    expect(log.warnings).toEqual([]);
  });

  it('removes segment files no manifest names once they are old', async () => {
    const dir = freshDir();
    await save(dir, 1);
    const deltaFile = fs.readdirSync(dir).find((n) => n.startsWith('delta-'))!;
    const baseRef = await writeSegment(dir, base);
    await writeManifest(dir, { revision: 2, builtAt: '', base: baseRef, delta: null });
    expect(fs.existsSync(path.join(dir, deltaFile))).toBe(true); // another process may still name it
    await writeManifest(dir, { revision: 3, builtAt: '', base: baseRef, delta: null }, Date.now() + 2 * 3_600_000);
    expect(fs.readdirSync(dir).sort()).toEqual([baseRef.file, 'index.json'].sort());
  });

  it('returns null quietly when there is no snapshot', async () => {
    const log = recordingLogger();
    expect(await readSnapshot(path.join(freshDir(), 'none'), log)).toBeNull();
    expect(log.warnings).toEqual([]);
  });

  /** A segment image with its header JSON edited in place (same length) and the checksum redone. */
  const edited = (img: SegmentImage, from: string, to: string): Buffer => {
    const bytes = Buffer.from(new Uint8Array(img.buffer).slice());
    const at = bytes.readUInt32LE(8);
    const json = bytes.toString('utf8', at);
    expect(json.includes(from) && from.length === to.length).toBe(true);
    bytes.write(json.replace(from, to), at, 'utf8');
    bytes.writeUInt32LE(zlib.crc32(bytes.subarray(24)), 16);
    return bytes;
  };
  const manifest = (dir: string) => JSON.parse(fs.readFileSync(snapshotPath(dir), 'utf8')) as Record<string, unknown> & { base: { file: string }; delta: { file: string } };
  const segFile = (dir: string, which: 'base' | 'delta') => path.join(dir, manifest(dir)[which].file);

  const cases: [string, (dir: string) => void][] = [
    ['a truncated manifest', (dir) => fs.writeFileSync(snapshotPath(dir), fs.readFileSync(snapshotPath(dir), 'utf8').slice(0, 40))],
    ['an empty manifest', (dir) => fs.writeFileSync(snapshotPath(dir), '')],
    ['a foreign JSON file', (dir) => fs.writeFileSync(snapshotPath(dir), JSON.stringify({ hello: 'world' }))],
    ['a JSON array', (dir) => fs.writeFileSync(snapshotPath(dir), '[1,2,3]')],
    ['another snapshot version', (dir) => fs.writeFileSync(snapshotPath(dir), JSON.stringify({ ...manifest(dir), version: SNAPSHOT_VERSION + 1 }))],
    ['a missing segment file', (dir) => fs.rmSync(segFile(dir, 'base'))],
    ['a truncated segment', (dir) => fs.truncateSync(segFile(dir, 'delta'), 5000)],
    [
      'a corrupted segment (checksum)',
      (dir) => {
        const f = segFile(dir, 'base');
        const bytes = fs.readFileSync(f);
        bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x40;
        fs.writeFileSync(f, bytes);
      },
    ],
    ['a segment from another lunr version', (dir) => fs.writeFileSync(segFile(dir, 'base'), edited(base, '"lunr":"2.3.9"', '"lunr":"1.0.0"'))],
    ['other field boosts', (dir) => fs.writeFileSync(segFile(dir, 'base'), edited(base, '"boosts":[0.1,1,1,0.3]', '"boosts":[0.1,1,1,0.4]'))],
    [
      'a delta of another base',
      (dir) => {
        const m = manifest(dir);
        fs.writeFileSync(snapshotPath(dir), JSON.stringify({ ...m, base: m.delta, delta: m.base }));
      },
    ],
    [
      'a manifest naming another segment',
      (dir) => {
        const m = manifest(dir);
        fs.writeFileSync(snapshotPath(dir), JSON.stringify({ ...m, base: { ...m.base, id: 'someone-else' } }));
      },
    ],
  ];
  it.each(cases)('ignores %s with a warning', async (_name, spoil) => {
    const dir = freshDir();
    await save(dir, 3);
    spoil(dir);
    const log = recordingLogger();
    expect(await readSnapshot(dir, log)).toBeNull();
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]!.msg).toMatch(/snapshot/);
  });
});
