import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MalformedDataError } from '../../src/core/errors.js';
import { PaperFilesError, readPaperFiles } from '../../src/sources/files.js';
import { ARXIV_FILE, HF_DAILY_DIR, MALFORMED_DIR, tempDir } from '../support/tmp.js';

const tmp = tempDir('papers-files-');
let n = 0;
/** A fresh subdirectory holding the given files. */
function dirWith(files: Record<string, string | Buffer>): string {
  const dir = path.join(tmp, `case-${++n}`);
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}
const hfDay = (date: string) => fs.readFileSync(path.join(HF_DAILY_DIR, `${date}.json`));
const record = (id: string, extra: object = {}) => JSON.stringify({ id, title: `Paper ${id}`, summary: 'S', authors: ['A'], categories: ['cs.CL'], ...extra });

async function failure(paths: string[]): Promise<MalformedDataError> {
  try {
    await readPaperFiles(paths);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedDataError);
    return err as MalformedDataError;
  }
  throw new Error('expected readPaperFiles to throw');
}

describe('file kinds', () => {
  it('reads a directory non-recursively, sorted, ignoring other files', async () => {
    const dir = dirWith({
      'b.jsonl': `${record('2501.00002')}\n`,
      'a.jsonl': `${record('2501.00001')}\n`,
      'README.md': '# not papers',
    });
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'nested', 'c.jsonl'), `${record('2501.00003')}\n`);
    const { papers, files } = await readPaperFiles([dir]);
    expect(files.map((f) => path.basename(f.path))).toEqual(['a.jsonl', 'b.jsonl']);
    expect(papers.map((p) => p.id)).toEqual(['2501.00001', '2501.00002']);
  });

  it('takes the featured day from a YYYY-MM-DD.json name, and only from such a name', async () => {
    const dir = dirWith({ '2024-12-02.json': hfDay('2024-12-02'), 'export.json': hfDay('2024-12-02') });
    const named = await readPaperFiles([path.join(dir, '2024-12-02.json')]);
    expect(new Set(named.papers.flatMap((p) => p.featuredDates))).toEqual(new Set(['2024-12-02']));
    // Without the day, 2024 items fall back to item.publishedAt: the evening before, in UTC.
    const unnamed = await readPaperFiles([path.join(dir, 'export.json')]);
    expect(unnamed.papers.some((p) => p.featuredDates[0] === '2024-12-01')).toBe(true);
  });

  it('reads gzip-compressed day files and JSON Lines', async () => {
    const dir = dirWith({
      '2024-12-02.json.gz': zlib.gzipSync(hfDay('2024-12-02')),
      'more.jsonl.gz': zlib.gzipSync(`${record('2501.00001')}\r\n\r\n${record('2501.00002')}\r\n`),
    });
    const { files, papers } = await readPaperFiles([dir]);
    expect(files.map((f) => f.papers)).toEqual([JSON.parse(hfDay('2024-12-02').toString()).length, 2]);
    expect(papers.filter((p) => p.featuredDates[0] === '2024-12-02')).toHaveLength(files[0]!.papers);
  });

  it('reads a JSON array of paper records and JSONL of our own export', async () => {
    const exported = { id: '2501.00001', title: 'T', abstract: 'A', authors: [], featuredDates: ['2026-01-05'], sources: ['hf'] };
    const dir = dirWith({ 'list.json': `[${record('2501.00009')}]`, 'export.jsonl': JSON.stringify(exported) });
    const { papers } = await readPaperFiles([dir]);
    expect(papers.find((p) => p.id === '2501.00001')).toMatchObject({ featuredDates: ['2026-01-05'], sources: ['hf'] });
    expect(papers.find((p) => p.id === '2501.00009')).toMatchObject({ sources: ['arxiv'], categories: ['cs.CL'] });
  });

  it('takes an empty day (a JSON empty array) as zero papers', async () => {
    const { files } = await readPaperFiles([path.join(dirWith({ '2026-08-22.json': '[]' }), '2026-08-22.json')]);
    expect(files[0]!.papers).toBe(0);
  });
});

describe('files that are not what their name says', () => {
  const one = async (name: string, content: string | Buffer) => {
    const file = path.join(dirWith({ [name]: content }), name);
    const err = await failure([file]);
    expect(err.file).toBe(file);
    return err.userMessage.slice(file.length + 2);
  };

  it.each<[string, string | Buffer, string | RegExp]>([
    ['empty.json', '', 'the file is empty'],
    ['blank.json', ' \n\t\n', 'the file is empty (only whitespace)'],
    ['empty.jsonl', '\n\n', 'the file is empty (no records)'],
    ['lines.json', `${record('2501.00001')}\n${record('2501.00002')}\n`, 'holds JSON Lines (one object per line), not one JSON document; name it .jsonl'],
    ['broken.json', '[{"paper": {"id": "2501.00001"}', /^not valid JSON \(line 1: /],
    ['image.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'binary data, not JSON text'],
    ['latin1.json', Buffer.from([0x5b, 0x22, 0xe9, 0x22, 0x5d]), 'not UTF-8 text'],
    ['plain.json.gz', '[]', 'named .gz but not gzip-compressed'],
    ['secretly.json', zlib.gzipSync('[]'), 'gzip-compressed but not named .gz'],
    ['cut.jsonl.gz', zlib.gzipSync(`${record('2501.00001')}\n`.repeat(2000)).subarray(0, 300), /^the gzip data is truncated or corrupt/],
    ['cut.json.gz', zlib.gzipSync('[]').subarray(0, 12), 'the gzip data is truncated or corrupt'],
    ['array.jsonl', '[\n  {"id": "2501.00001"}\n]\n', 'line 1: not valid JSON (starts "["); it looks like one JSON array, so name it .json'],
    ['bad-line.jsonl', `${record('2501.00001')}\n${record('2501.00002')}\n{"id": "2501.0\n`, 'line 3: not valid JSON (starts "{\\"id\\": \\"2501.0")'],
    ['bad-id.jsonl', `\n${record('2501.00001')}\n${record('nope')}\n`, 'line 3: id "nope" is not an arXiv id'],
    ['papers.csv', 'id,title\n', 'unsupported file type (expected .json, .jsonl, .json.gz or .jsonl.gz)'],
  ])('%s', async (name, content, expected) => {
    const problem = await one(name, content);
    if (typeof expected === 'string') expect(problem).toBe(expected);
    else expect(problem).toMatch(expected);
  });

  it('names a path that does not exist and a directory without paper files', async () => {
    const missing = path.join(tmp, 'nope.json');
    const empty = dirWith({ 'notes.txt': 'x' });
    const err = (await failure([missing, empty])) as PaperFilesError;
    expect(err.problems.map((p) => p.userMessage)).toEqual([
      `${missing}: no such file or directory`,
      `${empty}: the directory holds no .json, .jsonl, .json.gz or .jsonl.gz files`,
    ]);
  });

  it('lists every bad file in one error and returns nothing', async () => {
    const dir = dirWith({
      'a-good.jsonl': `${record('2501.00001')}\n`,
      'b-empty.json': '',
      'c-good.json': hfDay('2026-08-21'),
      'd-bad.jsonl': 'nope\n',
    });
    const err = (await failure([dir])) as PaperFilesError;
    expect(err).toBeInstanceOf(PaperFilesError);
    expect(err.problems.map((p) => path.basename(p.file))).toEqual(['b-empty.json', 'd-bad.jsonl']);
    expect(err.userMessage).toBe(
      `2 files: nothing imported:\n- ${path.join(dir, 'b-empty.json')}: the file is empty\n- ${path.join(dir, 'd-bad.jsonl')}: line 1: not valid JSON (starts "nope")`,
    );
  });

  it('refuses a whole file for one bad record: a JSONL line, or one item of a day file (unlike the API, which skips it)', async () => {
    const jsonl = dirWith({ 'p.jsonl': `${record('2501.00001')}\n${record('2501.00002', { upvotes: 'many' })}\n${record('2501.00003')}\n` });
    expect((await failure([jsonl])).userMessage).toBe(`${path.join(jsonl, 'p.jsonl')}: line 2: upvotes is a string, not a number`);
    const items = JSON.parse(hfDay('2026-08-21').toString('utf8')) as { paper: Record<string, unknown> }[];
    items[5] = { ...items[5]!, paper: { ...items[5]!.paper, upvotes: 'many' } };
    const day = dirWith({ '2026-08-21.json': JSON.stringify(items) });
    expect((await failure([day])).userMessage).toBe(`${path.join(day, '2026-08-21.json')}: item 5: paper.upvotes is a string, not a number`);
  });
});
