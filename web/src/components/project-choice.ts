import { useState } from 'react';
import type { Project } from '../api/types';

const STORAGE_KEY = 'salesproc.project';

/**
 * The project the project pages (customers, orders, targets, units, my performance)
 * show: the one the user chose last — remembered across pages and visits, since a
 * sales office works in one project for months — or else the first they may see.
 */
export function useProjectChoice(projects: Project[] | undefined): [string | undefined, (id: string) => void] {
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(STORAGE_KEY));
  const known = projects?.some((p) => p.id === chosen) ? chosen : null;
  const choose = (id: string) => {
    localStorage.setItem(STORAGE_KEY, id);
    setChosen(id);
  };
  return [known ?? projects?.[0]?.id, choose];
}
