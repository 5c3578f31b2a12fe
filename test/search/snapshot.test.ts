import fs from 'node:fs';
import path from 'node:path';
import lunr from 'lunr';
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexBuilder, buildMeta, runQuery, type DocMeta } from '../../src/core/search/engine.js';
import { parseQuery } from '../../src/core/search/query.js';
import {
  IndexAssembler,
  SNAPSHOT_VERSION,
  parseSnapshot,
  readSnapshot,
  serializeSnapshot,
  snapshotPath,
  writeSnapshot,
  type SerializedLunr,
} from '../../src/core/search/snapshot.js';
import { tempDir } from '../support/tmp.js';
import { recordingLogger, smallDocs } from './fixture.js';

// One temp root per file (removed after it); a fresh directory inside it per test.
const ROOT = tempDir('papers-search-');
const freshDir = () => fs.mkdtempSync(path.join(ROOT, 'd-'));

const QUERIES = ['video diffusion', 'title:video', 'diffu* -editing', 'difusion~1', '+language model', 'I2VEdit', 'author:zhang', '2405.16537'];

let index: lunr.Index;
let metas: DocMeta[];
beforeAll(() => {
  const b = new IndexBuilder();
  b.add(smallDocs());
  index = b.build();
  metas = b.docMetas();
});

function answers(i: lunr.Index, m: DocMeta[]) {
  const meta = buildMeta(m);
  return QUERIES.map((q) => runQuery(i, parseQuery(q), meta, { limit: 50, filters: { minUpvotes: 1 } }));
}

describe('snapshot round trip', () => {
  it('gives identical results after serialize → parse', () => {
    const json = serializeSnapshot(index, metas, 7, new Date('2026-01-02T03:04:05Z'));
    const loaded = parseSnapshot(json);
    expect(loaded.revision).toBe(7);
    expect(loaded.builtAt).toBe('2026-01-02T03:04:05.000Z');
    expect(loaded.meta.docs.size).toBe(metas.length);
    const before = answers(index, metas);
    expect(before.every((r) => r.hits.length > 0)).toBe(true);
    expect(answers(loaded.index, [...loaded.meta.docs.values()])).toEqual(before);
  });

  it('assembles in chunks exactly what lunr.Index.load builds', () => {
    const json = JSON.parse(serializeSnapshot(index, metas, 1)) as { lunr: SerializedLunr };
    const a = new IndexAssembler(json.lunr.fields, json.lunr.pipeline);
    for (let i = 0; i < json.lunr.invertedIndex.length; i += 97) a.addTerms(json.lunr.invertedIndex.slice(i, i + 97));
    for (let i = 0; i < json.lunr.fieldVectors.length; i += 50) a.addVectors(json.lunr.fieldVectors.slice(i, i + 50));
    const assembled = a.finish();
    expect(answers(assembled, metas)).toEqual(answers(lunr.Index.load(json.lunr), metas));
    expect(JSON.stringify(assembled.toJSON())).toBe(JSON.stringify(json.lunr));
  });

  it('refuses terms out of order rather than building a broken index', () => {
    const a = new IndexAssembler([], []);
    a.addTerms([['beta', {}]]);
    expect(() => a.addTerms([['alpha', {}]])).toThrow();
  });
});

describe('snapshot files', () => {
  it('writes atomically, replacing the previous file and leaving no temp files', async () => {
    const dir = path.join(freshDir(), 'nested', 'index');
    await writeSnapshot(dir, serializeSnapshot(index, metas, 1));
    const p = await writeSnapshot(dir, serializeSnapshot(index, metas, 2));
    expect(p).toBe(snapshotPath(dir));
    expect(fs.readdirSync(dir)).toEqual(['index.json']);
    const log = recordingLogger();
    expect((await readSnapshot(dir, log))?.revision).toBe(2);
    expect(log.warnings).toEqual([]);
  });

  it('returns null quietly when there is no snapshot', async () => {
    const log = recordingLogger();
    expect(await readSnapshot(path.join(freshDir(), 'none'), log)).toBeNull();
    expect(log.warnings).toEqual([]);
  });

  const good = () => JSON.parse(serializeSnapshot(index, metas, 3)) as Record<string, unknown> & { lunr: Record<string, unknown> };
  const cases: [string, () => string][] = [
    ['truncated JSON', () => serializeSnapshot(index, metas, 3).slice(0, 5000)],
    ['empty file', () => ''],
    ['a foreign JSON file', () => JSON.stringify({ hello: 'world' })],
    ['a JSON array', () => '[1,2,3]'],
    ['another snapshot version', () => JSON.stringify({ ...good(), version: SNAPSHOT_VERSION + 1 })],
    ['another lunr version', () => JSON.stringify({ ...good(), lunr: { ...good().lunr, version: '1.0.0' } })],
    ['other fields', () => JSON.stringify({ ...good(), lunr: { ...good().lunr, fields: ['body'] } })],
    ['docs that disagree with the index', () => JSON.stringify({ ...good(), docs: metas.slice(1) })],
    ['a broken lunr payload', () => JSON.stringify({ ...good(), lunr: { ...good().lunr, pipeline: ['noSuchFunction'] } })],
    ['malformed docs', () => JSON.stringify({ ...good(), docs: metas.map((m) => ({ ...m, featuredDates: 'x' })) })],
  ];
  it.each(cases)('ignores %s with a warning', async (_name, content) => {
    const dir = freshDir();
    fs.writeFileSync(snapshotPath(dir), content());
    const log = recordingLogger();
    expect(await readSnapshot(dir, log)).toBeNull();
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]!.msg).toMatch(/snapshot/);
  });
});
