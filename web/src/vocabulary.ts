// The server's own vocabularies, bundled from `api/permissions.ts` (a module with
// no imports), so role and permission names cannot drift between API and page.
import { PERMISSIONS, ROLE_NAMES } from '../../api/permissions';

/** The built-in role names. */
export const ROLE_KEYS: string[] = [...ROLE_NAMES];
/** Every permission, in the server's order (grouped by module). */
export const PERMISSION_KEYS = PERMISSIONS;
