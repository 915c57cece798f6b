// The notification subsystem: typed messages into the outbox, the dispatcher that
// delivers them, the channels, templates and preferences.
export { enqueueNotification, GROUP_KINDS, NOTIFICATION_KINDS, type NotificationKind, type NotificationMessage } from './messages';
export { NotificationDispatcher, type DispatcherOptions, type RoundResult } from './dispatcher';
export {
  channelsFromConfig,
  DingTalkChannel,
  dingTalkSignature,
  EmailChannel,
  InAppChannel,
  isPublicAddress,
  NOTIFICATIONS_PG_CHANNEL,
  PermanentDeliveryError,
  postToRobot,
  ROBOT_PROVIDERS,
  signedDingTalkUrl,
  WeComChannel,
  webhookPolicy,
  webhookUrlRefusal,
  type NotificationChannel,
  type OutgoingMessage,
  type RobotProvider,
  type WebhookPolicy,
} from './channels';
export { DEFAULT_PREFERENCES, HH_MM, isTimeZone, nextDigestAt, quietUntil, USER_CHANNELS, type Preferences } from './preferences';
export { LOCALES, render, toLocale, type Locale, type TemplateKey } from './templates';
