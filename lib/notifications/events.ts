/** The e-mail notification events, in words (plain module: the preferences form uses it too). */
import type { NotificationEvent } from "../../db/schema";

export const NOTIFICATION_EVENTS: ReadonlyArray<{ key: NotificationEvent; label: string; hint: string }> = [
  { key: "assigned", label: "A request is assigned to me", hint: "A supervisor assigns you a referral request." },
  {
    key: "overdue",
    label: "A request I hold becomes overdue",
    hint: "A request you claimed or were assigned passes its review SLA.",
  },
  {
    key: "push_failed",
    label: "A push to ACCloud failed",
    hint: "An approval you sent, or a request you hold, could not be delivered.",
  },
  {
    key: "agency_cancelled",
    label: "The agency cancelled a request",
    hint: "The agency cancels a request you work on or decided.",
  },
  {
    key: "review_disagreed",
    label: "A second review disagreed",
    hint: "A supervisor disagrees with one of your approvals.",
  },
];

export const NOTIFICATION_EVENT_KEYS = NOTIFICATION_EVENTS.map((e) => e.key) as [
  NotificationEvent,
  ...NotificationEvent[],
];
