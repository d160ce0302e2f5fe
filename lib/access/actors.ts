/**
 * Who does something. One family of types for the whole app: a signed-in user (with the role the
 * scopes come from), the system (the push worker, the sync, the launcher) or a webhook API
 * client. The audit trail records any of them as it is; a user is recorded by id and e-mail, so
 * a user known only by those (a session that ended, a CLI) is recorded the same way.
 */
import type { Role } from "./scopes";

/**
 * A signed-in user: what the session check yields, and what pages, actions and the DAL take.
 * `role` is the user's first role; `roles`, when set, all of them (a person with two roles has
 * the scopes of both: ask `hasScope(actor, …)`, never of `actor.role` alone).
 */
export type Actor = {
  type: "user";
  id: string;
  email: string;
  name: string;
  role: Role;
  roles?: readonly Role[];
  sessionId: string;
};
export type SystemActor = { type: "system"; label: string };
export type ApiClientActor = { type: "api_client"; id: string; label: string };
/** What an audit record names: any actor, a user by id and e-mail alone. */
export type AnyActor = Pick<Actor, "type" | "id" | "email"> | SystemActor | ApiClientActor;

export const systemActor = (label = "system"): SystemActor => ({ type: "system", label });
export const isUserActor = (a: AnyActor): a is Actor => a.type === "user" && "role" in a;
/** The name an audit record keeps: the e-mail of a user, the label of the system or a client. */
export const actorLabel = (a: AnyActor): string => (a.type === "user" ? a.email : a.label);
export const actorId = (a: AnyActor): string | null => (a.type === "system" ? null : a.id);
