import { createHmac } from 'node:crypto';
import type { OutgoingMessage } from './types';
import { postToRobot, RobotChannel, robotMarkdown, type WebhookTarget } from './webhook';

/**
 * DingTalk's robot signature (加签): Base64 of HMAC-SHA256 over
 * `timestamp + "\n" + secret`, keyed by the secret; timestamp in milliseconds. The
 * platform refuses a timestamp more than an hour off.
 */
export function dingTalkSignature(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The robot URL with `timestamp` and `sign` added (URL-encoded), as DingTalk documents. */
export function signedDingTalkUrl(url: string, secret: string, timestamp: number): string {
  const signed = new URL(url);
  signed.searchParams.set('timestamp', String(timestamp));
  signed.searchParams.set('sign', dingTalkSignature(timestamp, secret));
  return signed.toString();
}

/** A DingTalk (钉钉) group robot, signed when it has a secret; markdown message. */
export class DingTalkChannel extends RobotChannel {
  readonly name = 'dingtalk';

  protected post(target: WebhookTarget, m: OutgoingMessage): Promise<void> {
    // Signed at each attempt: a retry hours later needs a fresh timestamp.
    const url = target.secret ? signedDingTalkUrl(target.url, target.secret, Date.now()) : target.url;
    return postToRobot(url, { msgtype: 'markdown', markdown: { title: m.subject, text: robotMarkdown(m) } }, this.postOptions);
  }
}
