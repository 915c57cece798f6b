import { z } from 'zod';
import { route } from '../http';
import { helpResponse } from './responses';
import type { Services } from '../services';
import { HELP_LOCALES } from '../services/help-service';

/** The help centre: role guides and FAQ as content. */
export function helpRoutes(s: Services) {
  return [
    route({
      id: 'help.list',
      scope: 'organisation',
      response: helpResponse,
      method: 'get',
      path: '/api/help',
      access: 'signed-in',
      summary: 'The help centre: role guides and FAQ in one locale',
      query: z.strictObject({ locale: z.enum(HELP_LOCALES).optional() }),
      handler: async ({ query }) => {
        const locale = query.locale ?? (await s.settings.get()).defaultLocale;
        return { body: { locale, pages: s.help.pages(locale) } };
      },
    }),
  ];
}
