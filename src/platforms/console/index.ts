/**
 * The console plug-in: the terminal the bot runs in when no chat platform is configured.
 * It has no variables, no limits and no poster; src/app/main.ts builds it with the process's
 * stdin and stdout (ConsolePlatform) when no other platform is enabled.
 */
import { definePlatform } from '../descriptor.js';

export const consolePlatform = definePlatform<Record<string, never>>({
  name: 'console',
  permissionRefusal: "You cannot change this channel's digest.",
  config: { env: {}, read: () => ({ section: {}, problems: [] }) },
  enabled: () => false,
  rates: () => () => null,
});
