/** What `papers --help` and `papers <command> --help` print. */
export const USAGE = `Usage: papers <command> [options]    (papers <command> --help for its options)

  import <file|dir>…                 Store papers from HF day files (.json), .jsonl or .jsonl.gz
  ingest [--from D] [--to D]         Fetch Daily Papers days from the Hugging Face API (default: today)
  search "<query>" [--limit N]       Search stored papers; --from D --to D --min-upvotes N --code
  search --stdin --json              One query per input line, one JSON array per output line
  digest [--date D] [--top N] [--topic "<q>"] [--min-upvotes N]
                                     The digest a channel would get for a featured day
  show <arXiv id or URL>             One paper
  stats                              What the store holds
  chart [--week YYYY-Www] [--out F]  The weekly chart (top papers by upvotes) as a PNG file
  forget --platform P --user U       Delete everything kept about one person (their forget-me)
  discord register [--guild ID]      Register /papers with Discord (see docs/discord.md)
  slack manifest [--socket | --http --url URL]
                                     Print the Slack app manifest (see docs/slack.md)

Every command takes --json (stdout then holds only JSON, errors too) and --verbose (logs on stderr).
DATA_DIR (default ./data) selects the store, as for the bot.`;

const COMMON = `  --json             stdout holds only JSON (an error is {"error": {"code", "message"}})
  --verbose          logs on stderr`;

const HELP: Record<string, string> = {
  import: `Usage: papers import <file|dir>… [--json]

Stores papers from Hugging Face day files (YYYY-MM-DD.json), .jsonl or .jsonl.gz, and
updates the search index. Every file is checked before anything is stored: a malformed
file stops the import with its name and the problem, and the store stays as it was.`,
  ingest: `Usage: papers ingest [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

Fetches Daily Papers days from the Hugging Face API (HF_BASE_URL), oldest first; each
day is stored as it arrives. Default: today (UTC).`,
  search: `Usage: papers search "<query>" [--limit N] [--from D] [--to D] [--min-upvotes N] [--code] [--json]
       papers search --stdin --json

Query syntax: words, "phrases", title:word, author:name, -exclude, +require, word*.
  --limit N          results to print (1–100, default 10)
  --from/--to D      featured on or after / before this day (YYYY-MM-DD)
  --min-upvotes N    only papers with at least N upvotes
  --code             only papers with a code repository
  --stdin            one query per input line; one JSON array per output line`,
  digest: `Usage: papers digest [--date YYYY-MM-DD] [--top N] [--topic "<query>"] [--min-upvotes N] [--json]

Prints the digest a channel would get for a featured day (default: the latest).`,
  show: `Usage: papers show <arXiv id or URL> [--json]

One paper: title, authors, TL;DR, links.`,
  forget: `Usage: papers forget --platform discord|slack|console --user USER_ID [--json]

Deletes everything the bot keeps about one person, as their /papers forget-me does:
bookmarks, followed topics, inbox settings and the record of what it sent them, pending
alerts. Prints what was deleted.`,
  chart: `Usage: papers chart [--week YYYY-Www] [--out FILE.png] [--json]

Draws the chart a weekly digest opens with: the week's top 10 papers by upvotes, as a
1200 px wide PNG on a dark card that reads in dark and light chat themes.
  --week YYYY-Www    the ISO week, e.g. 2026-W34 (default: the week of the latest featured day)
  --out FILE.png     where to write it (default: week-YYYY-Www.png here); an existing file is replaced`,
  stats: `Usage: papers stats [--json]

What the store holds: papers, featured days, subscriptions, bookmarks.`,
};

/** The help of one command, or null when there is no such command. */
export function commandHelp(command: string): string | null {
  const h = HELP[command];
  return h ? `${h}\n\n${COMMON}` : null;
}
