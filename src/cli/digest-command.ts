import type { CliDeps } from './cli-deps.js';
import { formatDay, parseDay, utcDay } from '../core/dates.js';
import { composeDigest } from '../core/digest/compose.js';
import { tldrOf } from '../core/digest/tldr.js';
import { NotFoundError, UserInputError } from '../core/errors.js';
import { DEFAULT_SETTINGS, validateMinUpvotes, validateTopN } from '../core/subscription.js';
import { safe } from '../platforms/console/render.js';
import { paperJson, printJson, println } from './cli-output.js';

/** `papers digest`: what a channel would get for a featured day (no channel, so nothing counts as posted). */
export async function digestCommand(core: CliDeps, o: { date?: string; top?: number; topic?: string; minUpvotes?: number; json: boolean }): Promise<void> {
  const today = utcDay(new Date());
  const requested = o.date ? parseDay(o.date, today) : undefined;
  const [day] = await core.store.featuredDays({ onOrBefore: requested ?? today, limit: 1 });
  if (!day) throw new NotFoundError(requested ? `No papers featured on or before ${requested}.` : 'No featured papers stored yet. Run papers import or papers ingest first.');
  if (requested && day !== requested) throw new NotFoundError(`No papers featured on ${requested} (the closest earlier day is ${day}).`);
  const settings = {
    topN: validateTopN(o.top ?? DEFAULT_SETTINGS.topN),
    minUpvotes: validateMinUpvotes(o.minUpvotes ?? 0),
    topic: o.topic?.trim() || null,
  };
  const candidates = await core.store.papersFeaturedBetween(day, day);
  let topicMatches: Set<string> | null = null;
  if (settings.topic) {
    await core.index.ready();
    await core.index.refresh();
    const r = await core.index.search(settings.topic, { limit: 100, filters: { featuredFrom: day, featuredTo: day } });
    topicMatches = new Set(r.hits.map((h) => h.id));
  }
  const digest = composeDigest({ day, candidates, settings, alreadyPosted: new Set(), topicMatches });
  if (!digest) {
    if (settings.topic) throw new UserInputError(`No paper featured on ${day} matches the topic "${settings.topic.slice(0, 60)}".`);
    throw new NotFoundError(`No paper featured on ${day} has at least ${settings.minUpvotes} upvotes.`);
  }
  if (o.json) {
    return printJson({ date: digest.day, title: digest.title, themes: digest.themes, papers: digest.papers.map((p, i) => paperJson(p, { rank: i + 1 })) });
  }
  // Titles and TL;DRs are upstream text: no escape sequence reaches the terminal.
  println(safe(`${digest.title}\n${digest.themesLine}\n`));
  digest.papers.forEach((p, i) => {
    println(safe(`${i + 1}. ${p.title} (${p.id}) ▲ ${p.upvotes ?? 0}`));
    println(safe(`   ${tldrOf(p)}`));
  });
  if (day !== today && !o.date) println(`\n(${formatDay(day)} is the latest featured day stored.)`);
}
