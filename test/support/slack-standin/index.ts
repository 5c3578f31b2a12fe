/**
 * A local stand-in for Slack, for end-to-end tests of the Slack adapter and of anything
 * that posts through it (the digest worker, its benchmark). No token, no internet.
 *
 * ```ts
 * const slack = await startSlackStandin({ users: [{ id: 'U0ADMIN', teamId: 'T0TEST', isAdmin: true }] });
 * // the bot: SLACK_API_URL = slack.apiUrl, SLACK_BOT_TOKEN = DEFAULT_WORKSPACE.botToken
 *
 * // Slack → bot, HTTP mode (signed with the real v0 HMAC):
 * const send = new SlackRequestSender(`${botUrl}/slack/events`, 'signing-secret');
 * await send.command(slashCommand({ text: 'search "sparse attention" --top 3', responseUrl: slack.responseUrl() }));
 * await send.action(blockActions({ actionId: 'bm:2405.15738', responseUrl: slack.responseUrl() }));
 * await send.event(eventCallback(reactionEvent('reaction_added', { channel, ts })), { retryNum: 1 });
 * // Slack → bot, Socket Mode: the bot's apps.connections.open gets `ws://…/socket-mode`
 * await slack.socket.connected();
 * const ack = await slack.socket.send('slash_commands', slashCommand({ … }));
 *
 * // What the bot did:
 * slack.messages / ephemerals / responses / views / reactions / files / calls
 * await slack.waitFor(() => slack.responses.at(-1), 2000, 'the reply');
 *
 * // Faults:
 * slack.fail('chat.postMessage', { kind: '429', retryAfter: 1 }, { kind: 'http', status: 500 });
 * slack.fail('chat.postMessage', { kind: 'commitThen500' });   // posted, but answered 500
 * slack.channelErrors.set('C0GONE', 'channel_not_found');       // every call on that channel
 * slack.dmErrors.set('U0GONE', 'account_inactive');             // no DM reaches this user (open, post)
 * slack.dmMessages('U0ADA');                                    // the app's DM with a user (D<user>)
 * slack.rateLimit = { perSecond: 1, burst: 3 };                 // enforced per channel (DMs too), 429 + Retry-After
 * slack.enforceMembership = true;                               // not_in_channel until conversations.join
 * slack.privateChannels.add('C0PRIVATE');                       // … which these refuse
 * slack.addOAuthCode('code-1', workspace);                      // for /slack/oauth_redirect?code=code-1
 * await slack.close();
 * ```
 *
 * Web API methods answered: auth.test, apps.connections.open, chat.postMessage,
 * chat.postEphemeral, chat.update (the app's own messages only, cant_update_message otherwise;
 * metadata kept unless given; `edits`/`edited` recorded), conversations.history (with include_all_metadata),
 * conversations.join, conversations.open, reactions.add, chat.unfurl (for the
 * link_shared events `shareLinks` makes, unfurls.ts), views.publish, users.info,
 * files.getUploadURLExternal + the upload URL + files.completeUploadExternal (what
 * files.uploadV2 calls), oauth.v2.access. Any other method answers `unknown_method`.
 * Bodies may be form-encoded (what the SDK sends, JSON in `blocks`, `metadata`, `view`,
 * `files`), JSON or multipart; the bearer token (or `token` field) picks the workspace.
 */
export * from './block-kit.js';
export * from './requests.js';
export * from './server.js';
export * from './unfurls.js';
