import { z } from 'zod';
import { route } from '../http';
import { BoardService } from '../services/board-service';
import type { Services } from '../services';

/** The team board: open, overdue and escalated work by role, person and project, and the colleagues to hand work to. */
export function boardRoutes(s: Services) {
  // Made on first use: building the route table needs no live services.
  let board: BoardService | undefined;
  return [
    route({
      id: 'board.show',
      scope: 'project',
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
  ];
}
