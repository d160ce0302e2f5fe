/**
 * The client's address as the launcher sees it, handed to the app in CLIENT_IP_HEADER (the
 * launcher overwrites whatever a client sent under that name). X-Forwarded-For is anyone's to
 * write: only the entries appended by TRUSTED_PROXY_HOPS proxies of our own are believed, read
 * from the right.
 */
export const CLIENT_IP_HEADER = "x-csi-client-ip";

export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  const direct = (peer ?? "unknown").replace(/^::ffff:/, "");
  if (trustedHops <= 0 || !forwardedFor) return direct;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // The last proxy is the peer; each trusted proxy appended the address it received from.
  const at = chain.length - trustedHops;
  return (at >= 0 ? chain[at] : chain[0])?.replace(/^::ffff:/, "") || direct;
}
