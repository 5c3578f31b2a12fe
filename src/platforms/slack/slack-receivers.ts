/**
 * Bolt's two receivers as this bot configures them: Socket Mode (no public URL) and HTTP
 * (signed requests on /slack/events, and the OAuth install flow when configured).
 */
import { HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { StoreInstallationStore } from './install-store.js';
import { BOT_SCOPES, EVENTS_PATH, INSTALL_PATH, OAUTH_REDIRECT_PATH } from './manifest.js';
import type { SlackConnection } from './slack-config.js';
import type { slackSdkLogger, SlackWeb } from './web.js';

type SdkLogger = ReturnType<typeof slackSdkLogger>;

export function socketReceiver(slack: SlackConnection, web: SlackWeb, logger: SdkLogger): Receiver {
  // A fresh options object: the Socket Mode client mutates it, and keeps the SDK's own
  // retries for apps.connections.open (reconnecting is always safe).
  const { retryConfig: _r, rejectRateLimitedCalls: _x, ...clientOptions } = web.clientOptions() ?? {};
  return new SocketModeReceiver({ appToken: slack.appToken!, logger, installerOptions: { clientOptions } });
}

export function httpReceiver(slack: SlackConnection, installs: StoreInstallationStore, web: SlackWeb, logger: SdkLogger, oauth: SlackConnection['oauth']): Receiver {
  return new HTTPReceiver({
    signingSecret: slack.signingSecret!,
    endpoints: EVENTS_PATH,
    port: slack.port,
    logger,
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        },
      },
    ],
    ...(oauth
      ? {
          clientId: oauth.clientId,
          clientSecret: oauth.clientSecret,
          stateSecret: oauth.stateSecret,
          scopes: BOT_SCOPES.map((s) => s.scope),
          installationStore: installs,
          installerOptions: { installPath: INSTALL_PATH, redirectUriPath: OAUTH_REDIRECT_PATH, directInstall: false, clientOptions: web.clientOptions() },
        }
      : {}),
  });
}
