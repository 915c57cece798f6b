import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import globalSetup from './support/global-setup';
import globalTeardown from './support/global-teardown';
import { DESKTOP, launchChromium, PHONE, settled, signIn } from './support/browser';
import { eventually, startSystem } from './support/system';
import { buildWeb } from '../scripts/build-web';

/**
 * `npm run screenshots`: every page of the web app at 1280×800 and 390×844, as the
 * users who open them, into `.data/screenshots/`. Runs the real system (its own
 * database, `salesproc_screens` unless TEST_DATABASE_URL says otherwise, and a
 * Temporal dev server), with a few processes started so the pages have content.
 */
const OUT = resolve(__dirname, '..', '.data', 'screenshots');

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/salesproc_screens';
  await buildWeb();
  await globalSetup();
  const sys = await startSystem();
  const browser = await launchChromium();
  try {
    mkdirSync(OUT, { recursive: true });
    // Content: a visitor reception with its first task done, an approval, a plan adjustment.
    const agent = await sys.login('agent');
    const supervisor = await sys.login('supervisor');
    const reception = await agent.post('/api/processes', {
      definition: 'visitor-reception',
      projectId: 'DEMO',
      input: { visitorName: '王女士', phone: '13800000000' },
    });
    const receptionTask = await eventually(
      async () => (await agent.get(`/api/tasks?processId=${encodeURIComponent(reception.body.id)}`)).body.items[0],
    );
    await agent.post(`/api/tasks/${receptionTask.id}/complete`, {
      outcome: 'done',
      data: { needs: '三居室，近学校', decision: 'not-yet' },
    });
    await supervisor.post('/api/processes', {
      definition: 'two-level-approval',
      projectId: 'DEMO',
      input: { subject: '3-1201 折扣申请', amount: 12000 },
    });
    const registration = await eventually(async () => {
      const tasks = (await agent.get(`/api/tasks?processId=${encodeURIComponent(reception.body.id)}&status=open`)).body.items;
      return tasks.find((t: { taskKey: string }) => t.taskKey.includes('registration'));
    });
    const unit = (await agent.get('/api/units?projectId=DEMO&limit=1')).body.items[0];
    // Customers: the reception's visitor and one registered by hand, with a follow-up and tags; a target.
    const customer = await eventually(
      async () => (await agent.get('/api/customers?projectId=DEMO&q=13800000000')).body.items[0] as { id: string } | undefined,
    );
    const other = await agent.post('/api/customers', { projectId: 'DEMO', name: '陈先生', phone: '+86 139 0000 0001', source: 'referral' });
    await agent.send('PATCH', `/api/customers/${other.body.customer.id}`, { tags: ['学区', '改善'] });
    await agent.post(`/api/customers/${customer.id}/follow-ups`, {
      channel: 'wechat',
      result: '发送了户型图',
      notes: '周末带家人再来看样板间',
      nextContactAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    const month = new Date().toISOString().slice(0, 8) + '01';
    await supervisor.send('PUT', '/api/targets', {
      projectId: 'DEMO',
      period: 'month',
      periodStart: month,
      units: 12,
      amount: 36_000_000,
      visits: 200,
      followUps: 400,
    });

    const pages: { name: string; user: string; path: string }[] = [
      { name: 'login', user: '', path: '/login' },
      { name: 'tasks', user: 'agent', path: '/tasks' },
      { name: 'task', user: 'agent', path: `/tasks/${registration.id}` },
      { name: 'start', user: 'agent', path: '/start' },
      { name: 'start-form', user: 'agent', path: '/start/visitor-reception' },
      { name: 'process', user: 'supervisor', path: `/processes/${encodeURIComponent(reception.body.id)}` },
      { name: 'processes', user: 'supervisor', path: '/processes' },
      { name: 'units', user: 'supervisor', path: '/units' },
      { name: 'unit', user: 'supervisor', path: `/units?unit=${unit.id}` },
      { name: 'records', user: 'supervisor', path: '/records' },
      { name: 'board', user: 'supervisor', path: '/board' },
      { name: 'tasks-gm', user: 'gm', path: '/tasks' },
      { name: 'customers', user: 'agent', path: '/customers' },
      { name: 'customer', user: 'agent', path: `/customers/${customer.id}` },
      { name: 'orders', user: 'supervisor', path: '/orders' },
      { name: 'targets', user: 'supervisor', path: '/targets' },
      { name: 'help', user: 'agent', path: '/help' },
      { name: 'analytics', user: 'supervisor', path: '/analytics' },
      { name: 'analytics-team', user: 'supervisor', path: '/analytics?tab=team' },
      { name: 'analytics-inventory', user: 'supervisor', path: '/analytics?tab=inventory' },
      { name: 'analytics-reports', user: 'supervisor', path: '/analytics?tab=reports' },
      { name: 'performance', user: 'agent', path: '/performance' },
      { name: 'password', user: 'gm', path: '/password' },
      { name: 'users', user: 'admin', path: '/admin/users' },
      { name: 'roles', user: 'admin', path: '/admin/roles' },
      { name: 'projects', user: 'admin', path: '/admin/projects' },
      { name: 'settings', user: 'admin', path: '/admin/settings' },
      { name: 'audit', user: 'admin', path: '/admin/audit' },
    ];
    const only = process.argv.slice(2);
    for (const [size, viewport, language] of [
      ['desktop', DESKTOP, 'zh-CN'],
      ['phone', PHONE, 'zh-CN'],
      ['desktop-en', DESKTOP, 'en'],
    ] as const) {
      const context = await browser.newContext({ viewport, locale: language });
      // The language the user chose, as the app remembers it.
      await context.addInitScript(`localStorage.setItem('salesproc.language', '${language}')`);
      let page: Page = await context.newPage();
      let signedInAs = '';
      for (const p of pages) {
        if (only.length && !only.includes(p.name)) continue;
        // English: the pages that show the most words.
        if (language === 'en' && !['login', 'tasks', 'task', 'process', 'board', 'roles', 'customer', 'help'].includes(p.name)) continue;
        if (p.user !== signedInAs) {
          await page.close();
          await context.clearCookies();
          page = await context.newPage();
          await page.goto(`${sys.url}/#/login`);
          await page.evaluate("localStorage.removeItem('salesproc.token')");
          if (p.user) await signIn(page, sys.url, p.user, sys.env.password);
          signedInAs = p.user;
        }
        await page.goto(`${sys.url}/#${p.path}`);
        await page.waitForTimeout(300);
        await settled(page);
        // Spinners fade out; let them finish.
        await page.waitForTimeout(900);
        const file = join(OUT, `${p.name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`screenshots: ${file}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await sys.stop();
    await globalTeardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
