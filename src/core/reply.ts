/**
 * What commands answer and what digests post, before any platform has touched it.
 * Renderers (src/platforms/<name>/render.ts) turn these into embeds, Block Kit or
 * terminal text. Every string in here is plain text: renderers escape it for their
 * markup, so nothing a paper or a user wrote can become a mention or a link.
 */
import type { WeekChartData } from './chart.js';
import type { PaperLinks } from './paper.js';

export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A paper as shown in chat: everything a renderer needs, nothing it must compute. */
export interface PaperView {
  id: string;
  title: string;
  /** One line: the HF AI summary or the abstract's most informative sentence. */
  tldr: string;
  /** "A. Author, B. Author, C. Author et al." (already shortened). */
  authorsLine: string;
  authorsCount: number;
  upvotes: number | null;
  comments: number | null;
  /** Latest HF Daily Papers day, YYYY-MM-DD, or null. */
  featuredDate: string | null;
  /** arXiv date, YYYY-MM-DD, or null. */
  publishedAt: string | null;
  links: PaperLinks;
  keywords: string[];
  githubStars: number | null;
  organization: string | null;
  /** For search results: the sentence that matched. */
  snippet?: string;
  /** 1-based position in the list it is shown in. */
  rank?: number;
  /** Button id of the "🔖 Save" button (see core/actions.ts). */
  saveAction: string;
  /** The paper's HF thumbnail, http(s) only; absent when it has none. Renderers check again (pictureOf in views.ts). */
  thumbnail?: string;
}

/** Paging state: small enough to live in a button id, so pages still turn after a restart. */
export interface Pager {
  command: 'search' | 'trending' | 'similar' | 'bookmarks';
  /** The options that reproduce the list (query, period, id …). */
  args: Record<string, string | number | boolean>;
  /** 1-based. */
  page: number;
  pageCount: number;
  total: number;
  /** Button ids for the neighbouring pages, filled in by the core (see core/actions.ts). */
  prevAction?: string;
  nextAction?: string;
}

/** A button under a reply (a confirmation such as forget-me's); its id comes back as an ActionEvent. */
export interface ReplyButton {
  label: string;
  /** See core/actions.ts. */
  actionId: string;
  style: 'primary' | 'danger' | 'secondary';
}

export interface TextReply {
  kind: 'text';
  text: string;
  tone: Tone;
  ephemeral: boolean;
  buttons?: ReplyButton[];
}

export interface PaperListReply {
  kind: 'papers';
  heading: string;
  /** Shown under the heading (filters applied, "showing Friday's list" …). */
  subheading?: string;
  papers: PaperView[];
  pager?: Pager;
  /** A remark about the query (shortened, stop words ignored …). */
  notice?: string;
  ephemeral: boolean;
}

export interface PaperDetailReply {
  kind: 'paper';
  paper: PaperView;
  /** The abstract, whitespace collapsed; renderers shorten it to fit. */
  abstract: string;
  /** Every author (capped at 100), for renderers with room for them. */
  authors?: string[];
  ephemeral: boolean;
}

export interface FileReply {
  kind: 'file';
  filename: string;
  mimeType: string;
  content: string;
  /** Message sent with the file. */
  text: string;
  ephemeral: boolean;
}

export interface HelpReply {
  kind: 'help';
  intro: string;
  commands: { usage: string; description: string }[];
  footer?: string;
  ephemeral: boolean;
}

export type Reply = TextReply | PaperListReply | PaperDetailReply | FileReply | HelpReply;

export const text = (t: string, tone: Tone = 'info', ephemeral = true): TextReply => ({ kind: 'text', text: t, tone, ephemeral });
export const errorReply = (t: string): TextReply => text(t, 'error', true);

/** Messages the bot posts on its own (digests), one platform message each. */
export type OutboundMessage =
  | {
      kind: 'digestHeader';
      /** The featured day the digest covers. */
      date: string;
      /** e.g. "Trending papers for Fri 21 Aug 2026". */
      title: string;
      /** e.g. "Today's themes: agents, video generation, RL". */
      themesLine: string;
      count: number;
      /**
       * A later `digest now` on a day whose digest was posted: the position of its first
       * paper (the header says "More", and the numbering carries on from that day's).
       */
      continuedFrom?: number;
      /** A weekly digest's chart, as data (small): DigestService.deliver draws it and posts the PNG with the header. */
      chart?: WeekChartData;
      /** The one role (Discord) or user group (Slack) this header pings, opted into with settings --ping (ping.ts). */
      ping?: { kind: 'role' | 'usergroup'; id: string };
      /** settings --threads on: the papers go in a thread under this header (digest/thread-mode.ts). */
      threads?: boolean;
    }
  | {
      kind: 'digestPaper';
      date: string;
      paper: PaperView;
      position: number;
      of: number;
      /** In a person's inbox: the followed topic this paper matched (shown as "matched: …"). */
      topic?: string;
    }
  | {
      /** An instant alert DM: every newly featured paper that matched a followed topic since the last one. */
      kind: 'alert';
      /** The alert's window, e.g. "2026-08-21T14"; part of its idempotency key. */
      batch: string;
      /** e.g. "3 new papers match what you follow". */
      title: string;
      items: { paper: PaperView; topic: string }[];
    }
  | { kind: 'notice'; text: string };

/** Adds a line about the person's own state (a paused inbox) to any reply, where each kind has room for it. */
export function withPauseNotice(reply: Reply, line: string | null): Reply {
  if (!line) return reply;
  switch (reply.kind) {
    case 'text':
      return { ...reply, text: `${reply.text}\n\n${line}` };
    case 'papers':
      return { ...reply, notice: reply.notice ? `${reply.notice} ${line}` : line };
    case 'file':
      return { ...reply, text: `${reply.text}\n\n${line}` };
    case 'help':
      return { ...reply, footer: reply.footer ? `${reply.footer}\n\n${line}` : line };
    case 'paper':
      return { ...reply, abstract: `${line}\n\n${reply.abstract}` };
  }
}
