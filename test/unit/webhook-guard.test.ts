import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config/env';
import { isPublicAddress, PermanentDeliveryError, postToRobot, webhookUrlRefusal, type WebhookPolicy } from '../../notifications';
import type { LookupFunction } from '../../notifications/channels/webhook-guard';

// Group robots must not become a way to read the internal network: hosts on the
// provider's allow-list only, public addresses only (checked where the socket
// connects), no redirects, and nothing the other side wrote kept in the error.

/** A local receiver answering every request with `answer`; counts what it got. */
async function receiver(answer: (res: ServerResponse) => void): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A resolver that answers `address` for every name, as a rebinding DNS server would at send time. */
const resolvesTo =
  (address: string): LookupFunction =>
  (_host, options, callback) =>
    options.all
      ? callback(null, [{ address, family: address.includes(':') ? 6 : 4 }])
      : callback(null, address, address.includes(':') ? 6 : 4);

const strict: WebhookPolicy = {
  hosts: { wecom: ['qyapi.weixin.qq.com', 'robot.test'], dingtalk: ['oapi.dingtalk.com'] },
  allowPrivate: false,
};
const lab: WebhookPolicy = { hosts: { wecom: ['127.0.0.1'], dingtalk: ['127.0.0.1'] }, allowPrivate: true };

test('private, loopback, link-local, ULA, CGNAT and metadata addresses are not public; ordinary ones are', () => {
  for (const ip of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'fd00:ec2::254',
    'fc00::1',
    'fe80::1',
    'ff02::1',
    '[::1]',
  ]) {
    expect([ip, isPublicAddress(ip)]).toEqual([ip, false]);
  }
  for (const ip of ['93.184.216.34', '101.226.1.1', '172.32.0.1', '2408:8000::1', '::ffff:93.184.216.34']) {
    expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
  }
});

test('a robot URL must be https on its provider’s host, without credentials or a private literal address', async () => {
  const noDns = resolvesTo('93.184.216.34');
  expect(await webhookUrlRefusal('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', strict, noDns)).toBeUndefined();
  expect(await webhookUrlRefusal('wecom', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', strict, noDns)).toMatch(/https/);
  expect(await webhookUrlRefusal('dingtalk', 'https://qyapi.weixin.qq.com/x', strict, noDns)).toMatch(/not a dingtalk robot host/);
  expect(await webhookUrlRefusal('wecom', 'https://169.254.169.254/latest/meta-data', strict, noDns)).toMatch(/not a wecom robot host/);
  expect(await webhookUrlRefusal('wecom', 'https://a:b@qyapi.weixin.qq.com/x', strict, noDns)).toMatch(/user name or password/);
  expect(await webhookUrlRefusal('wecom', 'https://qyapi.weixin.qq.com.evil.test/x', strict, noDns)).toMatch(/not a wecom robot host/);
  // An allowed name that resolves to a private address is refused when saved...
  expect(await webhookUrlRefusal('wecom', 'https://robot.test/x', strict, resolvesTo('10.0.0.5'))).toMatch(/private/);
  // ...and a literal private address is refused even when someone lists it as a host.
  expect(await webhookUrlRefusal('wecom', 'https://10.0.0.5/x', { ...strict, hosts: { wecom: ['10.0.0.5'] } }, noDns)).toMatch(/private/);
});

test('the configuration: provider hosts by default, a list that replaces them, bad entries named; private off by default', () => {
  const defaults = loadConfig({});
  expect(defaults.NOTIFY_WEBHOOK_HOSTS).toEqual({ wecom: ['qyapi.weixin.qq.com'], dingtalk: ['oapi.dingtalk.com'] });
  expect(defaults.NOTIFY_WEBHOOK_ALLOW_PRIVATE).toBe(false);
  expect(loadConfig({ NOTIFY_WEBHOOK_HOSTS: 'wecom:Robot.Example.com, dingtalk:oapi.dingtalk.com' }).NOTIFY_WEBHOOK_HOSTS).toEqual({
    wecom: ['robot.example.com'],
    dingtalk: ['oapi.dingtalk.com'],
  });
  expect(() => loadConfig({ NOTIFY_WEBHOOK_HOSTS: 'slack:hooks.slack.com' })).toThrow(/NOTIFY_WEBHOOK_HOSTS/);
});

test('DNS rebinding: a name that passed when saved but resolves to loopback at send time is refused where the socket connects', async () => {
  const inside = await receiver((res) => res.end('{"errcode":0}'));
  try {
    const port = new URL(inside.url).port;
    const url = `https://robot.test:${port}/send?key=k`;
    expect(await webhookUrlRefusal('wecom', url, strict, resolvesTo('93.184.216.34'))).toBeUndefined();
    const sent = postToRobot(
      url,
      { msgtype: 'text' },
      { provider: 'wecom', timeoutMs: 2000, policy: strict, lookup: resolvesTo('127.0.0.1') },
    );
    await expect(sent).rejects.toBeInstanceOf(PermanentDeliveryError);
    await expect(sent).rejects.toThrow(/private, loopback or link-local/);
    expect(inside.hits()).toBe(0);
  } finally {
    await inside.close();
  }
});

test('a robot URL saved before the rules (a private address) is refused by the sender, which posts nothing', async () => {
  const inside = await receiver((res) => res.end('{"errcode":0}'));
  try {
    await expect(postToRobot(`${inside.url}/send`, {}, { provider: 'wecom', timeoutMs: 2000, policy: strict })).rejects.toBeInstanceOf(
      PermanentDeliveryError,
    );
    expect(inside.hits()).toBe(0);
  } finally {
    await inside.close();
  }
});

test('a redirect is not followed, and what a robot answered never reaches the error', async () => {
  const target = await receiver((res) => res.end('{"errcode":0}'));
  const redirecting = await receiver((res) => {
    res.writeHead(302, { location: `${target.url}/internal` });
    res.end('moved');
  });
  const failing = await receiver((res) => {
    res.writeHead(500);
    res.end('internal-admin-page: db password hunter2');
  });
  const refusing = await receiver((res) => res.end('{"errcode":93000,"errmsg":"internal-admin-page"}'));
  try {
    const options = { provider: 'wecom', timeoutMs: 2000, policy: lab };
    await expect(postToRobot(`${redirecting.url}/send`, {}, options)).rejects.toThrow(
      /^webhook answered 302 \(a redirect; not followed\)$/,
    );
    expect(target.hits()).toBe(0);
    await expect(postToRobot(`${failing.url}/send`, {}, options)).rejects.toThrow(/^webhook answered 500$/);
    await expect(postToRobot(`${refusing.url}/send`, {}, options)).rejects.toThrow(/^webhook errcode 93000$/);
    await expect(postToRobot(`${target.url}/send`, {}, options)).resolves.toBeUndefined();
    expect(target.hits()).toBe(1);
  } finally {
    await Promise.all([target.close(), redirecting.close(), failing.close(), refusing.close()]);
  }
});
