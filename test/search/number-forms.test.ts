import { describe, expect, it } from 'vitest';
import { numberForms } from '../../src/search/number-forms.js';
import { analyze, parseQuery } from '../../src/search/query.js';
import type { IndexDoc } from '../../src/core/ports.js';
import { Corpus } from '../../src/search/planner.js';
import { Segment } from '../../src/search/segment.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';

const forms = (text: string) => numberForms(text.toLowerCase().split(/\s+/), 0);

describe('numberForms: the short way of writing a spelled-out number', () => {
  it('joins a number and its magnitude word', () => {
    expect(forms('138 million samples')).toEqual(['138m']);
    expect(forms('1.70 million prompts')).toEqual(['1.7m']);
    expect(forms('(1.3 billion images)')).toEqual(['1.3b']);
    expect(forms('7 B parameters')).toEqual(['7b']);
    expect(forms('5 thousand')).toEqual(['5k']);
    expect(forms('0.5 million')).toEqual(['500k']);
  });

  it('joins a number and its unit', () => {
    expect(forms('24 GB GPU')).toEqual(['24gb']);
    expect(forms('35 TB.')).toEqual(['35tb']);
    expect(forms('25 fps')).toEqual(['25fps']);
  });

  it('shortens numbers written with thousands separators, rounded as a reader would', () => {
    expect(forms('22,000 instances')).toEqual(['22k']);
    expect(forms('160,000')).toEqual(['160k']);
    expect(forms('67,453 apps')).toEqual(['67.5k', '67k']);
    expect(forms('1,800')).toEqual(['1.8k']);
    expect(forms('12,000,000')).toEqual(['12m']);
  });

  it('spells "5×" as "5x" (the trimmer would leave "5")', () => {
    expect(forms('5× faster')).toEqual(['5x']);
  });

  it('leaves plain numbers, years and words alone', () => {
    expect(forms('2024 was')).toEqual([]);
    expect(forms('3 models')).toEqual([]);
    expect(forms('million')).toEqual([]);
    expect(forms('v2')).toEqual([]);
  });

  it('is part of the analyzer, so documents are indexed with it', () => {
    expect(analyze('over 1.70 million unique prompts')).toEqual(['over', '1.70', '1.7m', 'million', 'uniqu', 'prompt']);
    expect(analyze('a single 24 GB GPU')).toEqual(['singl', '24', '24gb', 'gb', 'gpu']);
  });

  it('finds a paper by the short form its abstract spells out', () => {
    const doc = (id: string, abstract: string): IndexDoc => ({ id, title: `paper ${id}`, abstract, authors: [], keywords: [], featuredDates: [], upvotes: null, hasCode: false });
    const sb = new SegmentBuilder({ shared: false });
    sb.add([doc('a', 'A detector trained on 138 million samples.'), doc('b', 'A detector trained on 138 samples.'), doc('c', 'A detector trained on many samples.')]);
    const built = sb.build();
    const corpus = new Corpus(new Segment(built.buffer, built.header));
    expect(corpus.search(parseQuery('detector 138m samples')).hits[0]!.id).toBe('a');
  });
});
