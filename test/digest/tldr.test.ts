import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bestSentence, cleanText, methodName, splitSentences, tldrOf } from '../../src/core/digest/tldr.js';
import type { Paper } from '../../src/core/paper.js';
import { HF_DAILY_DIR } from '../support/real-data.js';
import { allDays, loadDay } from './helpers.js';

const byTitle = (day: string, start: string): Paper => {
  const p = loadDay(day).find((x) => x.title.startsWith(start));
  if (!p) throw new Error(`no "${start}" on ${day}`);
  return p;
};
const noSummary = (p: Paper): Paper => ({ ...p, aiSummary: null });
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A shortened TL;DR ends on a word the source has whole, never on half a word. */
function expectWholeWords(tldr: string, source: string): void {
  if (!tldr.endsWith('…')) return;
  const last = /([\p{L}\p{N}]+)[^\p{L}\p{N}]*$/u.exec(tldr.slice(0, -1))?.[1];
  expect(last, tldr).toBeDefined();
  const whole = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(last!)}(?![\\p{L}\\p{N}])`, 'u');
  expect(whole.test(source), `"${last}" cut mid-word in: ${tldr}`).toBe(true);
}

describe('splitSentences', () => {
  it('does not split on abbreviations, decimals, versions or initialisms', () => {
    const text =
      'Models (e.g. GPT-4) and tools, i.e. search, are compared vs. baselines of Smith et al. on U.S. data. ' +
      'Fig. 3 shows a 9.0 gain with v1.5 of Llama-3.1 by J. Doe. We propose X! Does it work? Yes, it does work well.';
    expect(splitSentences(text)).toEqual([
      'Models (e.g. GPT-4) and tools, i.e. search, are compared vs. baselines of Smith et al. on U.S. data.',
      'Fig. 3 shows a 9.0 gain with v1.5 of Llama-3.1 by J. Doe.',
      'We propose X!',
      'Does it work?',
      'Yes, it does work well.',
    ]);
  });

  it('splits before sentences opening with a digit or a quote', () => {
    expect(splitSentences('It works. 3D scenes are hard. "Quoted" openers too.')).toEqual([
      'It works.',
      '3D scenes are hard.',
      '"Quoted" openers too.',
    ]);
  });
});

describe('cleanText', () => {
  it('strips LaTeX, HTML and TeX accents and quotes', () => {
    expect(cleanText('We introduce T\\"ULU and Pok\\\'eChamp, with $\\mathcal{O}(n)$ cost, <b>bold</b> ``quoted\'\' and \\$1M.')).toBe(
      'We introduce TÜLU and PokéChamp, with O(n) cost, bold “quoted” and $1M.',
    );
  });
});

describe('methodName', () => {
  it('takes a short name before the title colon', () => {
    expect(methodName('EnvHarness: Awakening Static Worlds for Agent Learning')).toBe('EnvHarness');
    expect(methodName('An Image is Worth 32 Tokens for Reconstruction and Generation')).toBeNull();
    expect(methodName('One missing piece in Vision and Language: A Survey on Comics Understanding')).toBeNull();
  });
});

describe('tldrOf', () => {
  it('prefers the HF AI summary when there is one', () => {
    const p = byTitle('2026-08-21', 'EnvHarness');
    expect(p.aiSummary).toBeTruthy();
    expect(tldrOf(p)).toBe(p.aiSummary);
  });

  it('cleans and shortens an AI summary like any text', () => {
    const tldr = tldrOf({ title: 'T', abstract: 'We propose nothing.', aiSummary: 'The <i>model</i> reaches $O(\\log n)$ cost.\n Really.' }, 30);
    expect(tldr).toBe('The model reaches O(log n)…');
    expect(cleanText('a $\\sim$3$\\times$ speedup, $\\alpha \\leq 0.5$')).toBe('a ~3× speedup, α ≤ 0.5');
  });

  it('picks the "we introduce" sentence over the background opener (2024 abstract)', () => {
    const p = byTitle('2024-06-12', 'An Image is Worth 32 Tokens');
    expect(p.abstract.startsWith('Recent advancements in generative models')).toBe(true);
    expect(tldrOf(noSummary(p))).toBe(
      'We introduce Transformer-based 1-Dimensional Tokenizer (TiTok), an innovative approach that tokenizes images into 1D latent sequences.',
    );
  });

  it('favours the sentence naming the method from the title, and turns TeX quotes into quotes', () => {
    const p = byTitle('2024-06-12', 'TextGrad');
    expect(tldrOf(noSummary(p))).toBe('We introduce TextGrad, a powerful framework performing automatic “differentiation” via text.');
  });

  it('drops a lead-in clause ("To further facilitate …, we propose")', () => {
    const p = byTitle('2024-06-12', 'McEval');
    expect(cleanText(p.abstract)).toContain('To further facilitate the research of code LLMs, we propose');
    expect(tldrOf(noSummary(p))).toBe(
      'We propose a massively multilingual code benchmark covering 40 programming languages (McEval) with 16K test samples, which substantially pushes the limits of code LLMs in multilingual scenarios.',
    );
  });

  it('shortens at a word boundary', () => {
    const p = byTitle('2024-06-12', 'McEval');
    const tldr = tldrOf(noSummary(p), 100);
    expect(tldr).toBe('We propose a massively multilingual code benchmark covering 40 programming languages (McEval) with…');
    expectWholeWords(tldr, cleanText(p.abstract));
  });

  it('reads abstracts with hard line breaks straight from the 2024 API body', () => {
    const file = path.join(HF_DAILY_DIR, '2024-06-12.json');
    const raw = (JSON.parse(fs.readFileSync(file, 'utf8')) as { title: string; paper: { summary: string } }[])[0]!;
    expect(raw.paper.summary).toContain('\n');
    const tldr = tldrOf({ title: raw.title, abstract: raw.paper.summary, aiSummary: null });
    expect(tldr).not.toMatch(/\s{2,}|\n/);
    expect(tldr.startsWith('We introduce Transformer-based')).toBe(true);
  });

  it('never picks a release note or link over the contribution', () => {
    const abstract =
      'Large language models have shown remarkable abilities across many tasks. However, they remain costly to serve at scale. ' +
      'To address this, we propose FastServe, a scheduler that cuts serving latency by half. ' +
      'Code is available at https://github.com/x/fastserve.';
    expect(bestSentence(abstract, 'FastServe: Serving LLMs Fast')).toBe('We propose FastServe, a scheduler that cuts serving latency by half.');
  });

  it('is empty for an empty abstract without a summary', () => {
    expect(tldrOf({ title: 'Untitled', abstract: '', aiSummary: null })).toBe('');
  });

  it('stays within maxLen and never cuts a word, on every 2024 abstract in the data', () => {
    const days = allDays().filter((d) => d < '2025-01-01');
    let checked = 0;
    for (const day of days) {
      for (const p of loadDay(day)) {
        const source = cleanText(p.abstract);
        for (const max of [200, 80]) {
          const tldr = tldrOf(noSummary(p), max);
          expect(tldr.length).toBeLessThanOrEqual(max);
          expect(tldr.length).toBeGreaterThan(0);
          expect(tldr, p.id).not.toMatch(/\\[a-zA-Z]|<\/?[a-z]+>/);
          expectWholeWords(tldr, source);
        }
        checked++;
      }
    }
    // 1,000+ on the full corpus (extended suite); the fixture's 2024 days hold a few hundred.
    expect(checked).toBeGreaterThan(100);
  });
});
