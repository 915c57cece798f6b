import { api } from './client';
import type { Board, Person, Project } from './types';

/** The colleagues of the caller's projects, for delegation and reassignment pickers. */
export async function loadPeople(projectId?: string): Promise<Person[]> {
  const board = await api.get<Board>('/api/board', { projectId });
  return board.people;
}

/** The projects the caller sees. */
export const loadProjects = (): Promise<Project[]> => api.get<Project[]>('/api/projects');
