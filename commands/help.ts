import type { CommandSpec } from '../src/core/command-spec/spec.js';
import type { HelpReply } from '../src/core/reply.js';
import { text } from '../src/core/reply.js';
import { clip } from './support.js';

const INTRO = 'I follow Hugging Face Daily Papers, post a digest of the trending papers each morning, and answer these commands:';
const FOOTER = 'React with 🔖 to any paper I post to bookmark it. Search syntax: "exact phrase", title:word, author:name, -exclude, word*.';

/** Built from the command list (commands/index.ts) so help never goes out of date. */
export function makeHelp(all: () => readonly CommandSpec[]): CommandSpec {
  return {
    name: 'help',
    description: 'How to use the bot, or one command in detail',
    usage: 'help [command]',
    options: [
      { name: 'command', description: 'A command to explain', type: 'string', positional: true, maxLength: 40 },
      // Set by the text parser for `/papers frobnicate`, never offered to users.
      { name: 'unknown', description: 'Unknown subcommand that was typed', type: 'string', maxLength: 40, hidden: true },
    ],
    async handler(_ctx, o) {
      const specs = all();
      if (o.command !== undefined) {
        const spec = specs.find((s) => s.name === String(o.command).toLowerCase());
        if (!spec) return text(`There is no command "${clip(String(o.command), 30)}". Commands: ${specs.map((s) => s.name).join(', ')}.`);
        // Positional options read as <name>: they are typed without a flag.
        const opts = spec.options
          .filter((x) => !x.hidden)
          .map((x) => ({ usage: x.positional ? `<${x.name}>` : `--${x.name.replace(/_/g, '-')}`, description: x.description }));
        return {
          kind: 'help',
          intro: `/papers ${spec.usage}\n${spec.description}${spec.permission && !spec.openWhen ? ' (only for those who may manage this channel)' : ''}`,
          commands: opts,
          ephemeral: true,
        } satisfies HelpReply;
      }
      const prefix = o.unknown !== undefined ? `"${clip(String(o.unknown), 30)}" is not a command. ` : '';
      return {
        kind: 'help',
        intro: prefix + INTRO,
        commands: specs.map((s) => ({ usage: `/papers ${s.usage}`, description: s.description })),
        footer: FOOTER,
        ephemeral: true,
      } satisfies HelpReply;
    },
  };
}
