import { createSandboxControl } from "../../lib/accloud/sandbox/control";
import { readRunFile } from "./run-data";

/** The run's ACCloud sandbox control API (the launcher writes the sandbox's address into the data folder). */
export function openSandboxControl() {
  return createSandboxControl({
    baseUrl: readRunFile("sandbox.json").url,
    controlKey: process.env.ACCLOUD_SANDBOX_CONTROL_KEY ?? "sandbox-control",
  });
}
