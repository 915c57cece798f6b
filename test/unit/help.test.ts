import { HELP_LOCALES, HelpService } from '../../api/services/help-service';

// The help centre is content: both languages must have the same pages, each with a title.

test('every locale has the same help pages, each with a heading', () => {
  const help = new HelpService();
  const slugs = HELP_LOCALES.map((l) => help.pages(l).map((p) => p.slug));
  expect(slugs[0]!.length).toBeGreaterThanOrEqual(5);
  for (const other of slugs.slice(1)) expect(other).toEqual(slugs[0]);
  for (const locale of HELP_LOCALES) for (const page of help.pages(locale)) expect(page.title).not.toBe(`${page.slug}.md`);
});
