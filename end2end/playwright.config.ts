import { defineConfig, devices } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// Debian's Chromium (apt-get install chromium): test tools cannot download browsers here.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const port = process.env.JSF_E2E_PORT ?? "3210";
export const baseURL = `http://127.0.0.1:${port}`;
// Where the SMTP sink started beside the server writes the mails (see scripts/e2e-server.sh);
// outside test-results, which Playwright empties when it starts.
export const mailDir = path.join(os.tmpdir(), `jesaisfaire-e2e-mail-${port}`);

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    launchOptions: chromium,
    trace: "retain-on-failure",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions: chromium } }],
  webServer: {
    command: "../scripts/e2e-server.sh",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      JSF_E2E_ADDR: `127.0.0.1:${port}`,
      JSF_E2E_MAIL_DIR: mailDir,
      JSF_E2E_SMTP_PORT: String(Number(port) + 1),
    },
    stdout: "ignore",
    stderr: "pipe",
  },
});
