/**
 * `papers forget --platform P --user U`: an operator's forget-me, for a request that came
 * by email. The same deletion as the button (core/forget.ts); the person's inbox scheduler,
 * if Redis holds one, is removed by its next tick or sweep (no inbox: nothing to run).
 */
import { UserInputError } from '../core/errors.js';
import { describeForget, forgetPerson } from '../core/forget.js';
import type { CliDeps } from './cli-deps.js';
import { printJson, println } from './cli-output.js';

export async function forgetCommand(core: CliDeps, opts: { platform: string | undefined; user: string | undefined; platforms: readonly string[]; json: boolean }): Promise<void> {
  const platform = opts.platform?.trim().toLowerCase();
  const user = opts.user?.trim();
  if (!platform || !opts.platforms.includes(platform)) throw new UserInputError(`--platform must be one of ${opts.platforms.join(', ')}.`);
  if (!user || user.length > 100 || /[\s\u0000-\u001f]/.test(user)) throw new UserInputError('--user must be the platform user id (e.g. a Discord snowflake or a Slack U… id).');
  const report = await forgetPerson(core, platform, user);
  if (opts.json) return printJson({ platform, user, ...report });
  println(`${platform} user ${user}: ${describeForget(report)}`);
}
