import { describe, expect, it } from 'vitest';
import { capLength, cleanLine, cleanList, cleanUrl, LIMITS, stripControls } from '../../src/core/clean-text.js';
import { EVIL_CODE_URL, EVIL_CODE_URL_CLEAN, EVIL_TITLE, EVIL_TITLE_CLEAN, JS_URL } from '../support/attacks.js';

describe('stripControls', () => {
  it('removes OSC and CSI sequences whole, bidi overrides and zero-width characters', () => {
    expect(stripControls(EVIL_TITLE)).toBe(EVIL_TITLE_CLEAN);
  });

  it('removes every C0 (but spacing), DEL, C1, bidi mark and invisible character', () => {
    const bad = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0080', '\u009b', '\u009f', '\u061c', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2060', '\u2066', '\u2069', '\ufeff'];
    for (const c of bad) expect(stripControls(`a${c}b`), JSON.stringify(c)).toBe('ab');
  });

  it('makes tabs spaces and keeps line breaks only when the text is multi-line', () => {
    expect(stripControls('a\tb\r\nc\rd\ne')).toBe('a b c d e');
    expect(stripControls('a\tb\r\nc\rd\ne', { multiline: true })).toBe('a b\nc\nd\ne');
  });

  it('drops lone surrogates and keeps pairs', () => {
    expect(stripControls('a\ud800b\udc00c 😀')).toBe('abc 😀');
  });

  it('returns clean text untouched (the same string)', () => {
    const s = 'ConvLLaVA: Hierarchical Backbones — 100% «ok» 数学 😀';
    expect(stripControls(s)).toBe(s);
  });
});

describe('capLength and cleanLine', () => {
  it('cuts by code point and ends in an ellipsis within the cap', () => {
    expect(capLength('abcdef', 6)).toBe('abcdef');
    expect(capLength('abcdefg', 6)).toBe('abcde…');
    expect(capLength('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect([...capLength('😀'.repeat(10), 5)]).toHaveLength(5);
    // Five code points in ten UTF-16 units fit a cap of five.
    expect(capLength('😀'.repeat(5), 5)).toBe('😀'.repeat(5));
  });

  it('caps a 10,000,000-character title to 500 code points quickly', () => {
    const huge = `${'word '.repeat(2_000_000)}`;
    expect(huge.length).toBe(10_000_000);
    const t0 = performance.now();
    const out = cleanLine(huge, LIMITS.title);
    expect(performance.now() - t0).toBeLessThan(200);
    expect([...out].length).toBeLessThanOrEqual(500);
    expect(out.length).toBeGreaterThan(480);
    expect(out.endsWith('…')).toBe(true);
    expect(cleanLine('x'.repeat(10_000_000), LIMITS.title)).toBe(`${'x'.repeat(499)}…`);
  });

  it('cleans, collapses and strips NUL', () => {
    expect(cleanLine('  a\u0000b \n\n c  ', 100)).toBe('ab c');
    expect(cleanLine(EVIL_TITLE, 100)).toBe('Evil red gnp.exe');
  });

  it('caps lists by count and each item', () => {
    const many = Array.from({ length: 300 }, (_, i) => `Author ${i}`);
    expect(cleanList(many, LIMITS.authors, LIMITS.authorName)).toHaveLength(200);
    expect(cleanList(['a'.repeat(300), '\u200b', ' b '], 10, 100)).toEqual([`${'a'.repeat(99)}…`, 'b']);
  });
});

describe('cleanUrl', () => {
  it('keeps ordinary http(s) URLs as WHATWG serialises them', () => {
    expect(cleanUrl('https://github.com/alibaba/conv-llava')).toBe('https://github.com/alibaba/conv-llava');
    expect(cleanUrl(' HTTPS://Example.COM/a?b=1#c ')).toBe('https://example.com/a?b=1#c');
    expect(cleanUrl('http://[::1]:8080/x')).toBe('http://[::1]:8080/x');
  });

  it('refuses other schemes, credentials, junk and over-long URLs', () => {
    for (const bad of [JS_URL, 'JaVaScRiPt:alert(1)', 'data:text/html,<b>', 'file:///etc/passwd', 'ftp://x.org/', 'https://user:pw@x.org/', 'https://user@x.org/', 'not a url', 'https://a.org/x y', '', '//x.org/a']) {
      expect(cleanUrl(bad), bad).toBeNull();
    }
    expect(cleanUrl(42)).toBeNull();
    expect(cleanUrl(`https://x.org/${'a'.repeat(2_100)}`)).toBeNull();
    expect(cleanUrl(`https://x.org/${'a'.repeat(2_000)}`)).toHaveLength(2_014);
  });

  it('percent-encodes what could end a Markdown link, a BibTeX field or a Slack link', () => {
    const url = cleanUrl(EVIL_CODE_URL)!;
    expect(url).toBe(EVIL_CODE_URL_CLEAN);
    expect(url).not.toMatch(/[()[\]{}<>|"'`\s]/);
    expect(cleanUrl("https://x.org/a'b|c<d>\"e`f?q={1}#[h]")).toBe('https://x.org/a%27b%7Cc%3Cd%3E%22e%60f?q=%7B1%7D#%5Bh%5D');
  });

  it('removes controls and invisible characters before parsing', () => {
    expect(cleanUrl('https://git\u200bhub.com/a\u202e/b\u0000')).toBe('https://github.com/a/b');
  });
});
