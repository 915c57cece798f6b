import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The locales the help centre is written in. */
export const HELP_LOCALES = ['zh-CN', 'en'] as const;
/** One of {@link HELP_LOCALES}. */
export type HelpLocale = (typeof HELP_LOCALES)[number];

/**
 * The folder of the help centre's content, `help/<locale>/<page>.md`: beside the
 * sources, or beside `dist/` in the built image (the Dockerfile copies it there).
 */
export const HELP_DIR =
  [join(__dirname, '..', '..', 'help'), join(__dirname, '..', '..', '..', 'help')].find((dir) => existsSync(dir)) ??
  join(__dirname, '..', '..', 'help');

/** One help page: its file name without `.md`, its first heading, its markdown. */
export interface HelpPage {
  slug: string;
  title: string;
  markdown: string;
}

/**
 * The in-app help centre: each role's guide to its daily work and an FAQ, as
 * markdown files per locale, read once (they ship with the code).
 */
export class HelpService {
  private readonly cache = new Map<HelpLocale, HelpPage[]>();

  constructor(private readonly dir: string = HELP_DIR) {}

  /** Every page of one locale, in file-name order. */
  pages(locale: HelpLocale): HelpPage[] {
    let pages = this.cache.get(locale);
    if (!pages) {
      const folder = join(this.dir, locale);
      pages = readdirSync(folder)
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((file) => {
          const markdown = readFileSync(join(folder, file), 'utf8');
          const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? file;
          return { slug: file.replace(/\.md$/, ''), title, markdown };
        });
      this.cache.set(locale, pages);
    }
    return pages;
  }
}
