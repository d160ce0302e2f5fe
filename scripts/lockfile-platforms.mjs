/**
 * `npm run lockfile:platforms`, after any `npm install` that changes package-lock.json.
 *
 * Why: the registry this project's machines reach does not carry some other-platform builds
 * (darwin, win32, musl… variants of rollup, next/swc, tailwind oxide, unrs-resolver), so npm
 * leaves them out of the lockfile, and `npm ci` then refuses the lockfile as out of sync. This
 * adds each missing optional platform package to the lockfile with its version and its os / cpu
 * / libc, so `npm ci` sees a complete lockfile and skips them as foreign platforms, exactly as it
 * would with a complete one.
 */
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;

const OS = ["android", "darwin", "freebsd", "openbsd", "openharmony", "win32", "linux", "sunos", "aix", "netbsd"];
const CPU = ["arm64", "x64", "ia32", "arm", "loong64", "ppc64", "riscv64", "s390x", "wasm32", "mips64el"];

function platformOf(name) {
  const base = name.split("/").pop();
  const parts = base.split("-");
  const os = parts.find((p) => OS.includes(p)) ?? (parts.includes("wasm32") ? null : null);
  const cpu =
    parts.find((p) => CPU.includes(p)) ??
    (base.includes("gnueabihf") || base.includes("musleabihf") || base.includes("arm-eabi") ? "arm" : null);
  const libc = os === "linux" ? (base.includes("musl") ? "musl" : "glibc") : null;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  const optional = meta.optionalDependencies ?? {};
  for (const [dep, version] of Object.entries(optional)) {
    const key = `node_modules/${dep}`;
    const nested = `${path}/node_modules/${dep}`;
    if (packages[key] || packages[nested]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue;
    const entry = { version, dev: meta.dev || undefined, optional: true };
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
    if (libc) entry.libc = [libc];
    packages[key] = JSON.parse(JSON.stringify(entry));
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: added ${added} foreign-platform optional package entries`);
