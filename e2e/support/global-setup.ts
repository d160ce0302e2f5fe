import { existsSync } from "node:fs";
import { CHROMIUM } from "../../scripts/chromium";

export default function globalSetup() {
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    process.exit(1);
  }
}
