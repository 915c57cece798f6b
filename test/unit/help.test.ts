import { HELP_LOCALES, HelpService } from '../../api/services/help-service';
import { firstHelpPage } from '../../web/src/pages/help/first-page';

// The help centre is content: both languages must have the same pages, each with a title.

test('every locale has the same help pages, each with a heading', () => {
  const help = new HelpService();
  const slugs = HELP_LOCALES.map((l) => help.pages(l).map((p) => p.slug));
  expect(slugs[0]!.length).toBeGreaterThanOrEqual(5);
  for (const other of slugs.slice(1)) expect(other).toEqual(slugs[0]);
  for (const locale of HELP_LOCALES) for (const page of help.pages(locale)) expect(page.title).not.toBe(`${page.slug}.md`);
});

test("help opens on the reader's own role's guide; roles without one on the FAQ", () => {
  const slugs = new HelpService().pages('zh-CN').map((p) => p.slug);
  expect(firstHelpPage(slugs, ['general_manager'])).toBe('04-general-manager');
  expect(firstHelpPage(slugs, ['sales_agent'])).toBe('01-sales-agent');
  expect(firstHelpPage(slugs, ['sales_supervisor'])).toBe('02-sales-supervisor');
  expect(firstHelpPage(slugs, ['admin'])).toBe('06-administrator');
  expect(firstHelpPage(slugs, ['marketing'])).toBe('05-faq');
  expect(firstHelpPage(slugs, ['marketing', 'sales_service'])).toBe('03-sales-service');
  expect(firstHelpPage(slugs, [])).toBe('05-faq');
});
