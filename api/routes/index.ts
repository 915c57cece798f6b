import type { AnyRoute } from '../http';
import type { Services } from '../services';
import { adminRoutes } from './admin-routes';
import { analyticsRoutes } from './analytics-routes';
import { authRoutes } from './auth-routes';
import { boardRoutes } from './board-routes';
import { customerRoutes } from './customer-routes';
import { helpRoutes } from './help-routes';
import { notificationRoutes } from './notification-routes';
import { definitionRoutes } from './definition-routes';
import { processRoutes } from './process-routes';
import { recordRoutes } from './record-routes';
import { targetRoutes } from './target-routes';
import { taskRoutes } from './task-routes';
import { unitRoutes } from './unit-routes';

/** The whole route table of `/api`, one file per service. The permission matrix test walks this list. */
export function buildRoutes(services: Services): AnyRoute[] {
  return [
    ...authRoutes(services),
    ...definitionRoutes(services),
    ...processRoutes(services),
    ...taskRoutes(services),
    ...unitRoutes(services),
    ...recordRoutes(services),
    ...customerRoutes(services),
    ...targetRoutes(services),
    ...helpRoutes(services),
    ...adminRoutes(services),
    ...notificationRoutes(services),
    ...boardRoutes(services),
    ...analyticsRoutes(services),
  ];
}
