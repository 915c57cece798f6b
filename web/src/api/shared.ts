import { api } from './client';
import { getAll } from './paging';
import type { Person, Project } from './types';

/** The active colleagues of the caller's projects, for delegation, reassignment and transfer pickers. */
export function loadPeople(projectId?: string): Promise<Person[]> {
  return getAll<Person>('/api/people', { projectId }, 2_000);
}

/** The projects the caller sees. */
export const loadProjects = (): Promise<Project[]> => api.get<Project[]>('/api/projects');
