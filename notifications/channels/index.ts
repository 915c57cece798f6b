import type { AppConfig } from '../../config/env';
import type { PrismaClient } from '../../db/client';
import { DingTalkChannel } from './dingtalk';
import { EmailChannel } from './email';
import { InAppChannel } from './in-app';
import type { NotificationChannel } from './types';
import { webhookPolicy } from './webhook-guard';
import { WeComChannel } from './wecom';

export { DingTalkChannel, dingTalkSignature, signedDingTalkUrl } from './dingtalk';
export { EmailChannel } from './email';
export { InAppChannel, NOTIFICATIONS_PG_CHANNEL } from './in-app';
export { PermanentDeliveryError, type NotificationChannel, type OutgoingMessage } from './types';
export {
  isPublicAddress,
  webhookPolicy,
  webhookUrlRefusal,
  ROBOT_PROVIDERS,
  type RobotProvider,
  type WebhookPolicy,
} from './webhook-guard';
export { postToRobot } from './webhook';
export { WeComChannel } from './wecom';

/**
 * The channels the configuration enables, by name. E-mail only with `SMTP_URL`.
 * An SMS channel is one more class implementing {@link NotificationChannel} and one
 * more entry here, enabled by its own configuration variables.
 */
export function channelsFromConfig(config: AppConfig, prisma: PrismaClient): Map<string, NotificationChannel> {
  const channels: NotificationChannel[] = [
    new InAppChannel(prisma),
    new WeComChannel(prisma, config.NOTIFY_SEND_TIMEOUT_MS, webhookPolicy(config)),
    new DingTalkChannel(prisma, config.NOTIFY_SEND_TIMEOUT_MS, webhookPolicy(config)),
  ];
  if (config.SMTP_URL) {
    channels.push(
      new EmailChannel({
        smtpUrl: config.SMTP_URL,
        from: config.SMTP_FROM,
        domain: new URL(config.PUBLIC_URL).hostname,
        timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS,
      }),
    );
  }
  return new Map(channels.map((c) => [c.name, c]));
}
