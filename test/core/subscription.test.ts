import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { describeSettings, DEFAULT_SETTINGS, normalizeTimezone, parseTimeOfDay, parseWeekdays } from '../../src/core/subscription.js';

describe('digest settings parsing', () => {
  it('reads times in the forms people type', () => {
    expect(parseTimeOfDay('9')).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay('09:30')).toEqual({ hour: 9, minute: 30 });
    expect(parseTimeOfDay('5pm')).toEqual({ hour: 17, minute: 0 });
    expect(parseTimeOfDay('12am')).toEqual({ hour: 0, minute: 0 });
  });
  it('refuses hour 25 and other nonsense with a clear message', () => {
    expect(() => parseTimeOfDay('25')).toThrow(/Hour 25 is out of range/);
    expect(() => parseTimeOfDay('10:75')).toThrow(/Minute 75/);
    expect(() => parseTimeOfDay('noon-ish')).toThrow(UserInputError);
  });
  it('normalises timezones and refuses unknown ones', () => {
    expect(normalizeTimezone('europe/paris')).toBe('Europe/Paris');
    expect(normalizeTimezone('UTC')).toBe('UTC');
    expect(() => normalizeTimezone('Mars/Olympus_Mons')).toThrow(/Unknown timezone "Mars\/Olympus_Mons"/);
  });
  it('parses weekday lists and ranges', () => {
    expect(parseWeekdays('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseWeekdays('daily')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parseWeekdays('fri-mon')).toEqual([0, 1, 5, 6]);
    expect(parseWeekdays('Monday, Wednesday')).toEqual([1, 3]);
    expect(() => parseWeekdays('someday')).toThrow(UserInputError);
  });
  it('describes settings in one line', () => {
    expect(describeSettings({ ...DEFAULT_SETTINGS, topic: 'agents', minUpvotes: 5 })).toBe('09:00 UTC, Mon–Fri, top 5, at least 5 upvotes, topic "agents"');
  });
});
