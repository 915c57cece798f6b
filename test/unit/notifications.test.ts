import { dingTalkSignature, nextDigestAt, quietUntil, render, signedDingTalkUrl, toLocale, type TemplateKey } from '../../notifications';
import { localMinutes } from '../../notifications/preferences';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  const overnight = { quietStart: '22:00', quietEnd: '08:00', timeZone: 'Asia/Shanghai' };

  test('a window across midnight, in the user’s time zone', () => {
    // 23:30 in Shanghai is 15:30 UTC: quiet until 08:00 Shanghai = 00:00 UTC next day.
    expect(quietUntil(at('2026-11-28T15:30:00Z'), overnight)).toEqual(at('2026-11-29T00:00:00Z'));
    // 07:59:30 Shanghai: quiet for one more minute.
    expect(quietUntil(at('2026-11-28T23:59:30Z'), overnight)).toEqual(at('2026-11-29T00:00:00Z'));
    // 08:00 and noon Shanghai: not quiet.
    expect(quietUntil(at('2026-11-29T00:00:00Z'), overnight)).toBeNull();
    expect(quietUntil(at('2026-11-29T04:00:00Z'), overnight)).toBeNull();
  });

  test('a window within one day; none when unset or empty', () => {
    const lunch = { quietStart: '12:00', quietEnd: '13:30', timeZone: 'UTC' };
    expect(quietUntil(at('2026-11-28T12:10:00Z'), lunch)).toEqual(at('2026-11-28T13:30:00Z'));
    expect(quietUntil(at('2026-11-28T13:30:00Z'), lunch)).toBeNull();
    expect(quietUntil(at('2026-11-28T11:59:00Z'), lunch)).toBeNull();
    expect(quietUntil(at('2026-11-28T12:10:00Z'), { quietStart: null, quietEnd: null, timeZone: 'UTC' })).toBeNull();
    expect(quietUntil(at('2026-11-28T12:10:00Z'), { quietStart: '12:00', quietEnd: '12:00', timeZone: 'UTC' })).toBeNull();
  });
});

test('the next digest time is today’s if still ahead, else tomorrow’s', () => {
  const p = { digestTime: '18:00', timeZone: 'Asia/Shanghai' };
  expect(nextDigestAt(at('2026-11-28T02:00:00Z'), p)).toEqual(at('2026-11-28T10:00:00Z')); // 10:00 → 18:00 today
  expect(nextDigestAt(at('2026-11-28T10:00:20Z'), p)).toEqual(at('2026-11-28T10:00:00Z')); // in the digest minute: now
  expect(nextDigestAt(at('2026-11-28T11:00:00Z'), p)).toEqual(at('2026-11-29T10:00:00Z')); // 19:00 → tomorrow
  expect(localMinutes(at('2026-11-28T16:05:00Z'), 'Asia/Shanghai')).toBe(5); // 00:05 local
});

test('DingTalk signature: HMAC-SHA256 of "timestamp\\nsecret", Base64, URL-encoded in the URL', () => {
  // Expected value computed independently (Python hmac/base64) from the platform's description.
  expect(dingTalkSignature(1700000000000, 'SEC0123456789abcdef')).toBe('TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=');
  const url = signedDingTalkUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', 'SEC0123456789abcdef', 1700000000000);
  expect(url).toBe(
    'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D',
  );
});

describe('templates', () => {
  const keys: TemplateKey[] = [
    'task.created',
    'task.assigned',
    'task.reminder',
    'task.escalated',
    'task.escalation_missed',
    'approval.decided',
    'process.finished',
    'task.delegated',
    'task.returned',
    'auth.password_reset',
    'process.message',
    'digest',
    'group.task.created',
    'group.task.reminder',
    'group.task.escalated',
    'group.process.finished',
  ];
  const context = {
    taskTitle: 'Deposit',
    processTitle: 'Subscription 3-1201',
    projectName: 'Demo',
    dueAt: 'soon',
    link: 'http://app.test/tasks/1',
    outcome: 'approve',
    status: 'completed',
    code: 'C0DE',
    expiresAt: 'later',
    subject: 'Hello',
    text: 'World',
    items: [{ subject: 'Reminder: Deposit', link: 'http://app.test/tasks/1' }],
    fromRole: 'sales_supervisor',
    toRole: 'general_manager',
  };

  test.each(keys)('%s is written in both languages, with the link where there is one', (key) => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const text = render(key, locale, context);
      expect(text.subject.length).toBeGreaterThan(0);
      expect(text.subject + text.body).not.toMatch(/undefined/);
      if (key !== 'auth.password_reset') expect(text.body).toContain('http://app.test/tasks/1');
    }
    expect(render(key, 'zh-CN', context)).not.toEqual(render(key, 'en', context));
  });

  test('the reset code is in the text; languages are chosen from the user’s locale', () => {
    expect(render('auth.password_reset', 'zh-CN', context).body).toContain('验证码：C0DE');
    expect(toLocale('en-US')).toBe('en');
    expect(toLocale('zh-CN')).toBe('zh-CN');
    expect(toLocale(undefined)).toBe('zh-CN');
  });
});

test('configuration: PUBLIC_URL has a local default and no trailing slash; e-mail is off without SMTP_URL', async () => {
  const { loadConfig } = await import('../../config/env');
  expect(loadConfig({})).toMatchObject({ PUBLIC_URL: 'http://127.0.0.1:3000', NOTIFY_DISPATCHER: true });
  expect(loadConfig({}).SMTP_URL).toBeUndefined();
  expect(loadConfig({ PUBLIC_URL: 'https://sales.example.com/' }).PUBLIC_URL).toBe('https://sales.example.com');
});
