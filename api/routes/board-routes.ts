import { z } from 'zod';
import { route } from '../http';
import { boardResponse, peopleListResponse } from './responses';
import { BoardService } from '../services/board-service';
import type { Services } from '../services';
import { paging } from './route-helpers';

/** The team board: open, overdue and escalated work by role, person and project, and the colleagues to hand work to. */
export function boardRoutes(s: Services) {
  // Made on first use: building the route table needs no live services.
  let board: BoardService | undefined;
  return [
    route({
      id: 'board.show',
      scope: 'project',
      response: boardResponse,
      method: 'get',
      path: '/api/board',
      access: 'tasks.read',
      summary: "Open work by role, person and project in the caller's projects, and the active colleagues there",
      query: z.strictObject({ projectId: z.string().min(1).max(100).optional() }),
      handler: async ({ principal, query }) => {
        board ??= new BoardService(s.prisma);
        return { body: await board.board(principal!, query.projectId) };
      },
    }),
    route({
      id: 'people.list',
      scope: 'project',
      response: peopleListResponse,
      method: 'get',
      path: '/api/people',
      access: 'tasks.read',
      summary: "The active colleagues of the caller's projects by name (for pickers), filtered by project, role and name",
      query: z.strictObject({
        projectId: z.string().min(1).max(100).optional(),
        role: z.string().min(1).max(50).optional(),
        q: z.string().trim().min(1).max(100).optional(),
        ...paging,
      }),
      handler: async ({ principal, query }) => {
        board ??= new BoardService(s.prisma);
        return { body: await board.people(principal!, query) };
      },
    }),
  ];
}
