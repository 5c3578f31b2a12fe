import lunr from 'lunr';
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import {
  EMPTY_QUERY_MESSAGE,
  MAX_QUERY_TERMS,
  ONLY_EXCLUSIONS_MESSAGE,
  SHORTENED_NOTICE,
  analyze,
  rawTokens,
  normalizeTitle,
  parseQuery,
  type ParsedQuery,
} from '../../src/search/query.js';
import { smallDocs } from './fixture.js';

const userError = (q: string): UserInputError => {
  try {
    parseQuery(q);
  } catch (err) {
    expect(err).toBeInstanceOf(UserInputError);
    return err as UserInputError;
  }
  throw new Error(`expected a UserInputError for ${JSON.stringify(q)}`);
};

const keys = (p: ParsedQuery) => p.terms.map((t) => t.key);

describe('parseQuery: syntax', () => {
  it('maps field prefixes (and their aliases) to index fields', () => {
    const p = parseQuery('title:mamba author:LeCun authors:bengio summary:video abstract:audio keyword:moe Keywords:rlhf');
    expect(p.terms.map((t) => [t.key, t.fields])).toEqual([
      ['mamba', ['title']],
      ['lecun', ['authors']],
      ['bengio', ['authors']],
      ['video', ['abstract']],
      ['audio', ['abstract']],
      ['moe', ['keywords']],
      ['rlhf', ['keywords']],
    ]);
  });

  it('applies a field prefix followed by a space to the next word', () => {
    expect(parseQuery('title: mamba vision').terms.map((t) => [t.key, t.fields])).toEqual([
      ['mamba', ['title']],
      ['vision', undefined],
    ]);
  });

  it('treats an unknown field prefix as two plain words', () => {
    const p = parseQuery('foo:bar');
    expect(p.terms.map((t) => [t.word, t.fields])).toEqual([
      ['foo', undefined],
      ['bar', undefined],
    ]);
  });

  it('honours + and - and keeps plain words optional', () => {
    const p = parseQuery('+sparse attention -video');
    expect(p.terms.map((t) => [t.key, t.presence])).toEqual([
      ['spars', 'required'],
      ['attent', 'optional'],
    ]);
    expect(p.prohibited.map((g) => g.map((t) => t.key))).toEqual([['video']]);
  });

  it('stems terms the way the index does', () => {
    expect(keys(parseQuery('Transformers generalization learning'))).toEqual(
      ['transformers', 'generalization', 'learning'].map((w) => lunr.stemmer(new lunr.Token(w, {})).toString()),
    );
  });

  it('keeps a trailing wildcard only with a prefix of two or more characters', () => {
    const p = parseQuery('diffusion* llm* a* x');
    expect(p.terms.map((t) => [t.key, t.wildcard])).toEqual([
      ['diffus', true], // the stem's prefix, so it reaches the indexed "diffus"
      ['llm', true],
      ['x', false],
    ]);
  });

  it('applies fuzziness only to terms of four or more characters, capped at 2', () => {
    const p = parseQuery('transformr~ attentoin~5 foo~ bar~1 diffusion~0');
    expect(p.terms.map((t) => [t.word, t.editDistance])).toEqual([
      ['transformr', 1],
      ['attentoin', 2],
      ['foo', 0],
      ['bar', 0],
      ['diffusion', 0],
    ]);
  });

  it('parses boosts, clamped to a sane range, and ignores a bare ^', () => {
    const p = parseQuery('video^3 audio^0 image^100 text^');
    expect(p.terms.map((t) => [t.word, t.boost])).toEqual([
      ['video', 3],
      ['audio', 0.1],
      ['image', 10],
      ['text', 1],
    ]);
  });

  it('treats quoted phrases as required terms, fields included', () => {
    const p = parseQuery('title:"state space model" "kv cache" video');
    expect(p.terms.map((t) => [t.key, t.presence, t.fields?.[0]])).toEqual([
      ['state', 'required', 'title'],
      ['space', 'required', 'title'],
      ['model', 'required', 'title'],
      ['kv', 'required', undefined],
      ['cach', 'required', undefined],
      ['video', 'optional', undefined],
    ]);
  });

  it('reads an unclosed quote as a phrase to the end', () => {
    const p = parseQuery('"sparse attention');
    expect(p.terms.map((t) => [t.key, t.presence])).toEqual([
      ['spars', 'required'],
      ['attent', 'required'],
    ]);
  });

  it('keeps an excluded phrase or hyphenated word as one group', () => {
    const p = parseQuery('diffusion -"language model" -text-to-image');
    expect(p.prohibited.map((g) => g.map((t) => t.key))).toEqual([
      ['languag', 'model'],
      ['text', 'imag'],
    ]);
  });

  it('splits on hyphens like the tokenizer and drops the stop words inside', () => {
    expect(keys(parseQuery('mixture-of-experts'))).toEqual(['mixtur', 'expert']);
  });

  it('deduplicates terms that stem alike', () => {
    expect(keys(parseQuery('model models modeling Model'))).toEqual(['model']);
  });
});

describe('parseQuery: stop words', () => {
  it('drops stop words, also when required', () => {
    expect(keys(parseQuery('mixture of experts'))).toEqual(['mixtur', 'expert']);
    const p = parseQuery('+mixture +of +experts');
    expect(p.terms.map((t) => [t.key, t.presence])).toEqual([
      ['mixtur', 'required'],
      ['expert', 'required'],
    ]);
    expect(p.words).toEqual(['mixture', 'experts']);
  });

  it('says so when only common words are left', () => {
    expect(userError('of the').userMessage).toBe('"of the" only has common words; add a more specific term.');
    expect(userError('+of +the').userMessage).toBe('"of the" only has common words; add a more specific term.');
  });
});

describe('parseQuery: garbage', () => {
  it.each(['', '   ', 'title:', 'author: ', '^', '+', '-', '*', '~', '+ -', '"', '""', '***', '~~~', '^^2', ':', '...', '— – -'])(
    '%j is a UserInputError with a short message',
    (q) => {
      const err = userError(q);
      expect(err.userMessage).toBe(EMPTY_QUERY_MESSAGE);
      expect(err.userMessage.length).toBeLessThan(80);
    },
  );

  it('refuses a query of exclusions only', () => {
    expect(userError('-video -audio').userMessage).toBe(ONLY_EXCLUSIONS_MESSAGE);
  });

  it('never throws anything but UserInputError on random input', () => {
    const alphabet = 'ab xyz+-~^*:"\'\\()[]{}!?.,;/@#$%&|<>=_`\t\n0123456789éñ中文🙂title:author:';
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rand() * 40);
      let q = '';
      for (let j = 0; j < len; j++) q += alphabet[Math.floor(rand() * alphabet.length)];
      try {
        const p = parseQuery(q);
        expect(p.terms.length).toBeGreaterThan(0);
        for (const t of p.terms) expect(t.key.length).toBeGreaterThan(0);
      } catch (err) {
        if (!(err instanceof UserInputError)) throw new Error(`${JSON.stringify(q)} threw ${String(err)}`);
      }
    }
  });

  it('tolerates non-string input', () => {
    expect(() => parseQuery(undefined)).toThrow(UserInputError);
    expect(() => parseQuery(null)).toThrow(UserInputError);
    expect(() => parseQuery(42)).toThrow(UserInputError);
  });
});

describe('parseQuery: huge input', () => {
  it('keeps the first 32 distinct words of 10 KB and says so, quickly', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}x`);
    const text = words.join(' ').slice(0, 10_240);
    const started = performance.now();
    const p = parseQuery(text);
    expect(performance.now() - started).toBeLessThan(200);
    expect(p.terms).toHaveLength(MAX_QUERY_TERMS);
    expect(p.words.slice(0, 3)).toEqual(['word0x', 'word1x', 'word2x']);
    expect(p.notice).toBe(SHORTENED_NOTICE);
  });

  it('notices a cut even when few distinct words remain', () => {
    const p = parseQuery('attention '.repeat(1_100));
    expect(keys(p)).toEqual(['attent']);
    expect(p.notice).toBe(SHORTENED_NOTICE);
  });

  it('rejects one gigantic token as nothing searchable', () => {
    expect(userError('a'.repeat(10_000)).userMessage).toBe(EMPTY_QUERY_MESSAGE);
  });

  it('bounds fuzzy and wildcard expansions per query', () => {
    const p = parseQuery(Array.from({ length: 20 }, (_, i) => `term${String.fromCharCode(97 + i)}word~2`).join(' '));
    expect(p.terms.filter((t) => t.editDistance > 0).length).toBeLessThanOrEqual(6);
    expect(p.terms).toHaveLength(20);
  });
});

describe('parseQuery: arXiv ids', () => {
  it.each([
    ['2405.15738', '2405.15738'],
    ['2405.15738v2', '2405.15738'],
    ['http://arxiv.org/abs/2405.15738', '2405.15738'],
    ['https://arxiv.org/pdf/2405.15738v1', '2405.15738'],
    ['huggingface.co/papers/2405.15738', '2405.15738'],
    ['  arXiv:2405.15738 ', '2405.15738'],
  ])('%s is an id lookup', (q, id) => {
    const p = parseQuery(q);
    expect(p.kind).toBe('id');
    expect(p.id).toBe(id);
  });

  it('does not treat a query that merely mentions an id as a lookup', () => {
    expect(parseQuery('see 2405.15738 for details').kind).toBe('terms');
  });
});

describe('title keys', () => {
  it('normalises case, accents and punctuation', () => {
    expect(normalizeTitle('ConvLLaVA: Hierarchical  Backbones—as Visual Encoder')).toBe('convllava hierarchical backbones as visual encoder');
    expect(normalizeTitle('Café-Net (v2)')).toBe('cafe net v2');
  });

  it('is only computed for plain queries', () => {
    expect(parseQuery('ConvLLaVA').titleKey).toBe('convllava');
    expect(parseQuery('ConvLLaVA: Hierarchical Backbones').titleKey).toBe('convllava hierarchical backbones');
    expect(parseQuery('title:ConvLLaVA').titleKey).toBe('');
    // A title cut short at its dash still names the paper; a real exclusion does not.
    expect(parseQuery("Investigating LLM's Problem Solving Capability --").titleKey).toBe('investigating llm s problem solving capability');
    expect(parseQuery('video diffusion -editing').titleKey).toBe('');
    expect(parseQuery('+ConvLLaVA').titleKey).toBe('');
  });
});

describe('analyze', () => {
  it('produces exactly the terms of lunr’s default build pipeline, plus joined two-part compounds', () => {
    const pipeline = new lunr.Pipeline();
    pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    let compounds = 0;
    for (const doc of smallDocs().slice(0, 80)) {
      for (const text of [doc.title, doc.abstract, doc.keywords.join(', ')]) {
        const expected = pipeline
          .run(lunr.tokenizer(text))
          .map(String)
          .filter((t) => t !== ''); // lunr indexes tokens trimmed to nothing as ""; we drop them
        const got = analyze(text);
        if (!text.includes('-')) expect(got).toEqual(expected);
        // lunr's terms, in order, with the joined compounds in between.
        let j = 0;
        for (const t of got) if (t === expected[j]) j++;
        expect(j).toBe(expected.length);
        compounds += got.length - expected.length;
      }
    }
    expect(compounds).toBeGreaterThan(0);
  });

  it('indexes a hyphenated word under both spellings', () => {
    expect(analyze('pre-trained models')).toEqual(['pre', 'train', 'pretrain', 'model']);
    expect(analyze('pretrained models')).toContain('pretrain');
    expect(rawTokens('text-to-image self-supervised 3d-aware')).toEqual(['text', 'to', 'image', 'self', 'supervised', 'selfsupervised', '3d', 'aware']);
  });
});
