/** OIDC_ROLE_MAP's format, kept apart so lib/env.ts can validate it without loading the database code. */
import { ROLES, type Role } from "./scopes";

export type RoleMap = ReadonlyMap<string, Role>;

/** "value=role,value=role" → the map, or the first problem (for lib/env.ts's message). */
export function parseRoleMap(text: string): { ok: true; map: RoleMap } | { ok: false; message: string } {
  const map = new Map<string, Role>();
  for (const part of text.split(",")) {
    const entry = part.trim();
    if (!entry) continue;
    const at = entry.lastIndexOf("=");
    const value = at > 0 ? entry.slice(0, at).trim() : "";
    const role = at > 0 ? entry.slice(at + 1).trim() : "";
    if (!value) return { ok: false, message: `"${entry}" is not VALUE=ROLE` };
    if (!(ROLES as readonly string[]).includes(role))
      return { ok: false, message: `"${entry}": the role must be one of ${ROLES.join(", ")}` };
    if (map.has(value) && map.get(value) !== role) return { ok: false, message: `"${value}" is mapped to two roles` };
    map.set(value, role as Role);
  }
  if (map.size === 0) return { ok: false, message: "maps no value to a role" };
  return { ok: true, map };
}
