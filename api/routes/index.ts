import type { RouteSpec } from '../http';
import type { Services } from '../services';
import { adminRoutes } from './admin-routes';
import { authRoutes } from './auth-routes';
import { boardRoutes } from './board-routes';
import { processRoutes } from './process-routes';
import { salesRoutes } from './sales-routes';

/** The whole route table of `/api`. The permission matrix test walks this list. */
export function buildRoutes(services: Services): RouteSpec<any, any, any>[] {
  return [
    ...authRoutes(services),
    ...processRoutes(services),
    ...salesRoutes(services),
    ...adminRoutes(services),
    ...boardRoutes(services),
  ];
}
