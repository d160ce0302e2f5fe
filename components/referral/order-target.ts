/**
 * How a checked value on the page asks the order viewer to show it: a DOM event the order pane
 * listens for (the pane and the buttons are separate client islands of a server page).
 */
import type { Box } from "@/lib/documents/types";

/** A place on the order: a file's page, and the box of the words to highlight (page image pixels). */
export type OrderTarget = { fileId: string; page: number; box: Box | null; label: string };

/** Where the viewer is: a file's page, what it highlights, and a counter that makes a repeat click scroll again. */
export type Place = { fileId: string; page: number; highlight: OrderTarget | null; seq: number };

export const SHOW_ORDER_EVENT = "csi:show-order";

export function showOnOrder(target: OrderTarget): void {
  window.dispatchEvent(new CustomEvent<OrderTarget>(SHOW_ORDER_EVENT, { detail: target }));
}
