import NextLink from "next/link";
import type { ComponentProps } from "react";

/**
 * next/link that never prefetches (the app's only import of next/link; ESLint refuses others).
 * Every page is rendered per request for its reader, so Next's automatic prefetch of each link
 * in view is a server render plus its decoding on the browser's main thread: on a laptop four
 * times slower than this machine that was 0.7 s of the dashboard's load (the nav links) and most
 * of the queue's tasks after load (its tab and sort links). A click fetches the page instead; its
 * loading state streams first. Works in server and client components alike.
 */
export function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
