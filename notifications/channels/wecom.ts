import type { OutgoingMessage } from './types';
import { postToRobot, RobotChannel, robotMarkdown, type WebhookTarget } from './webhook';

/** A WeCom (企业微信) group robot: the webhook URL carries its key; markdown message. */
export class WeComChannel extends RobotChannel {
  readonly name = 'wecom';

  protected post(target: WebhookTarget, m: OutgoingMessage): Promise<void> {
    return postToRobot(target.url, { msgtype: 'markdown', markdown: { content: robotMarkdown(m) } }, this.postOptions);
  }
}
