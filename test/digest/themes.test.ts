import { describe, expect, it } from 'vitest';
import { dayThemes, themeCandidates, themesLine } from '../../src/core/digest/themes.js';
import { loadDay } from './helpers.js';

const kw = (...keywords: string[]) => ({ title: 'Untitled', keywords });

describe('dayThemes from AI keywords', () => {
  it('finds the themes of a real 2026 day', () => {
    // 2026-08-21: agent papers (LLM agents, coding agents, terminal agents…) and RL.
    expect(dayThemes(loadDay('2026-08-21'))).toEqual(['agents', 'reinforcement learning']);
  });

  it('finds the themes of a busy real 2026 day, folding "agentic" into agents', () => {
    const themes = dayThemes(loadDay('2026-08-19'));
    expect(themes[0]).toBe('agents');
    expect(themes).toHaveLength(3);
    expect(themes).not.toContain('LLM agents'); // overlaps the broader theme already shown
  });

  it('finds the themes of a real 2025 day', () => {
    expect(dayThemes(loadDay('2025-06-13'))).toEqual(['agents', 'reinforcement learning', 'reasoning']);
  });

  it('folds case, plurals, hyphens and acronyms', () => {
    const themes = dayThemes([kw('Reinforcement Learning (RL)'), kw('RL'), kw('reinforcement-learning'), kw('Video Generation'), kw('video generations')]);
    expect(themes).toEqual(['reinforcement learning', 'video generation']);
  });

  it('counts a keyword head shared by several papers', () => {
    const themes = dayThemes([
      kw('coding agents'),
      kw('terminal agents'),
      kw('LLM agents'),
      kw('GUI agents'),
      kw('multiview-consistent video generation'),
      kw('long video generation'),
    ]);
    expect(themes).toEqual(['agents', 'video generation']);
  });

  it('ignores generic keywords and topics of a single paper', () => {
    const papers = [
      kw('large language models', 'LLMs', 'benchmark', 'dataset', 'model', 'fine-tuning', 'mixture of experts'),
      kw('Large Language Models (LLMs)', 'benchmarks', 'datasets', 'supervised fine-tuning', 'state-space models'),
    ];
    expect(themeCandidates(papers)).toEqual([]);
    expect(dayThemes(papers)).toEqual([]);
  });

  it('respects max', () => {
    expect(dayThemes(loadDay('2026-08-19'), 1)).toEqual(['agents']);
  });
});

describe('dayThemes from titles (2024 days have no keywords)', () => {
  it('finds the themes of a real 2024 day', () => {
    const day = loadDay('2024-06-14');
    expect(day.every((p) => p.keywords.length === 0)).toBe(true);
    expect(dayThemes(day)).toEqual(['text-to-image', 'diffusion', 'reasoning']);
  });

  it('prefers a shared bigram to its words and drops title verbs and adjectives', () => {
    const titles = [
      'Improving Video Generation with Scalable Priors',
      'FastVid: Efficient Video Generation via Caching',
      'Towards Interactive Video Generation for Games',
    ];
    expect(dayThemes(titles.map((title) => ({ title, keywords: [] })))).toEqual(['video generation']);
  });

  it('gives no theme when nothing is shared', () => {
    expect(dayThemes(loadDay('2024-05-27'))).toEqual([]);
  });
});

describe('themesLine', () => {
  it('joins themes in English', () => {
    expect(themesLine(['agents', 'video generation', 'reinforcement learning'])).toBe(
      'Themes: agents, video generation and reinforcement learning',
    );
    expect(themesLine(['agents', 'RL'])).toBe('Themes: agents and RL');
    expect(themesLine(['agents'])).toBe('Themes: agents');
  });

  it('falls back to a neutral line', () => {
    expect(themesLine([])).toBe('The most upvoted papers of the day');
  });
});
