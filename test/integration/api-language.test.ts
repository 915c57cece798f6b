import { randomUUID } from 'node:crypto';
import { startSystem, type Session, type TestSystem } from '../support/system';

// Issue 23: "Refusals and validation are English or wrong". The API words validation
// in the caller's language (Accept-Language, which the web app sends), and a refusal
// it can explain carries a reason code with its values, which the app words itself:
// the duplicate-phone refusal names the owner and the end of protection.

let sys: TestSystem;
let agent: Session;
let agent2: Session;
const newPhone = () => `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const han = /[\u4e00-\u9fff]/;

beforeAll(async () => {
  sys = await startSystem();
  const admin = await sys.login('admin');
  const username = `lang${randomUUID().slice(0, 6)}`;
  expect(
    (
      await admin.post('/api/users', {
        username,
        displayName: '李四',
        password: 'second-agent-password-1',
        roles: ['sales_agent'],
        projects: ['DEMO'],
      })
    ).status,
  ).toBe(201);
  [agent, agent2] = await Promise.all([sys.login('agent'), sys.login(username, 'second-agent-password-1')]);
}, 60_000);

afterAll(() => sys?.stop());

test('validation: Chinese for a Chinese reader, English otherwise, the field named either way', async () => {
  const body = { projectId: 'DEMO', name: '王'.repeat(101), phone: newPhone(), extra: 1 };
  const zh = await agent.post('/api/customers', body, { 'accept-language': 'zh-CN,zh;q=0.9' });
  expect(zh.status).toBe(400);
  const zhReasons = Object.fromEntries((zh.body.error.details as { field: string; reason: string }[]).map((d) => [d.field, d.reason]));
  expect(zhReasons['body.name']).toMatch(han);
  expect(zhReasons['body.extra']).toBe('未知字段');
  const en = await agent.post('/api/customers', body);
  const enReasons = Object.fromEntries((en.body.error.details as { field: string; reason: string }[]).map((d) => [d.field, d.reason]));
  expect(enReasons['body.name']).toMatch(/100/);
  expect(enReasons['body.name']).not.toMatch(han);
  expect(enReasons['body.extra']).toBe('unknown field');
  // Nothing was registered.
  expect(await sys.prisma.customer.count({ where: { phone: body.phone } })).toBe(0);
});

test("another agent's protected customer: a 409 whose reason names the owner and the end of protection", async () => {
  const phone = newPhone();
  const first = await agent.post('/api/customers', { projectId: 'DEMO', name: '赵先生', phone });
  expect(first.status).toBe(201);
  const again = await agent2.post('/api/customers', { projectId: 'DEMO', name: '赵先生', phone }, { 'accept-language': 'zh-CN' });
  expect(again.status).toBe(409);
  const owner = await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } });
  expect(again.body.error.reason).toEqual({
    code: 'customer_owned',
    params: { owner: owner.displayName, until: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) },
  });
  // The date is the last day of protection in the office's time zone.
  const customer = await sys.prisma.customer.findFirstOrThrow({ where: { phone } });
  expect(customer.ownerId).toBe(owner.id);
  // The timeline names who registered the customer, not their sign-in name.
  const shown = await agent.get(`/api/customers/${customer.id}`);
  expect(shown.body.timeline[0]).toMatchObject({ byName: 'agent', byDisplayName: owner.displayName });
});
