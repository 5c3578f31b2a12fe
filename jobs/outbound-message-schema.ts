/**
 * The planned messages a delivery job carries, validated like any payload: a job written
 * by an older or broken process fails once, clearly, instead of posting half a card.
 * Kept in step with OutboundMessage (src/core/reply.ts) by the `satisfies` checks below.
 */
import { z } from 'zod';
import type { WeekChartData } from '../src/core/chart.js';
import type { OutboundMessage, PaperView } from '../src/core/reply.js';

const text = (max: number) => z.string().max(max);
const nullableCount = z.number().int().nullable();

const paperView = z.object({
  id: text(100),
  title: text(2_000),
  tldr: text(4_000),
  authorsLine: text(2_000),
  authorsCount: z.number().int().nonnegative(),
  upvotes: nullableCount,
  comments: nullableCount,
  featuredDate: text(10).nullable(),
  publishedAt: text(10).nullable(),
  links: z.object({ hf: text(2_000), arxiv: text(2_000), pdf: text(2_000), code: text(2_000).nullable(), project: text(2_000).nullable() }),
  keywords: z.array(text(200)).max(100),
  githubStars: nullableCount,
  organization: text(500).nullable(),
  snippet: text(4_000).optional(),
  rank: z.number().int().optional(),
  saveAction: text(100),
  thumbnail: text(2_000).optional(),
}) satisfies z.ZodType<PaperView>;

const day = text(10);
const weekChart = z.object({
  week: text(10),
  from: day,
  to: day,
  title: text(500),
  subtitle: text(500),
  featured: z.number().int().nonnegative(),
  bars: z.array(z.object({ id: text(100), rank: z.number().int().positive(), label: text(500), value: z.number().nonnegative() })).max(50),
}) satisfies z.ZodType<WeekChartData>;

export const outboundMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('digestHeader'), date: text(10), title: text(500), themesLine: text(2_000), count: z.number().int().nonnegative(), continuedFrom: z.number().int().positive().optional(), chart: weekChart.optional(), ping: z.object({ kind: z.enum(['role', 'usergroup']), id: z.string().regex(/^[A-Za-z0-9]{1,40}$/) }).optional(), threads: z.boolean().optional() }),
  z.object({ kind: z.literal('digestPaper'), date: text(10), paper: paperView, position: z.number().int().positive(), of: z.number().int().positive(), topic: text(200).optional() }),
  z.object({ kind: z.literal('alert'), batch: text(40), title: text(500), items: z.array(z.object({ paper: paperView, topic: text(200) })).min(1).max(25) }),
  z.object({ kind: z.literal('notice'), text: text(4_000) }),
]) satisfies z.ZodType<OutboundMessage>;
