/**
 * The files the launcher writes into this run's data folder (E2E_DATA_DIR): the embedded
 * PostgreSQL's owner file, the generated secrets and the ACCloud sandbox's address.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export type RunFiles = {
  "owner.json": { port: number };
  "secrets.json": { DATABASE_APP_PASSWORD: string; AUTH_SECRET: string; APP_SECRET: string };
  "sandbox.json": { url: string };
};

export function readRunFile<F extends keyof RunFiles>(file: F): RunFiles[F] {
  return JSON.parse(readFileSync(path.join(runDataDir(), file), "utf8")) as RunFiles[F];
}

export function runDataDir(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("E2E_DATA_DIR is not set: run the specs through playwright.config.ts");
  return dir;
}
