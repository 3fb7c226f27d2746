// Bytes on the wire of a first visit to the catalogue (issue 19): a new browser context (empty
// cache) opens `/` and waits until the page is hydrated and the network is idle; every resource
// the browser downloaded is listed with its encoding and its transferred size (headers and body
// as sent, compressed or not), then the total. Run by scripts/bench-first-load.sh.
import { test } from "@playwright/test";
import { hydrated } from "../tests/helpers";

test("catalogue: first load on the wire", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  const responses: import("@playwright/test").Response[] = [];
  page.on("response", (r) => responses.push(r));

  await page.goto(`${baseURL}/`);
  await hydrated(page);
  await page.waitForLoadState("networkidle");
  const rows: { path: string; encoding: string; bytes: number; body: number }[] = [];
  for (const response of responses) {
    const sizes = await response.request().sizes();
    const headers = await response.allHeaders();
    rows.push({
      path: new URL(response.url()).pathname,
      encoding: headers["content-encoding"] ?? "identity",
      bytes: sizes.responseBodySize + sizes.responseHeadersSize,
      body: sizes.responseBodySize,
    });
  }
  const document = responses.find((r) => r.request().resourceType() === "document")?.request();
  const acceptEncoding = document ? (await document.allHeaders())["accept-encoding"] : undefined;
  const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;
  console.log(`${"resource".padEnd(60)} ${"encoding".padEnd(9)} ${"on the wire".padStart(12)}`);
  for (const row of rows) console.log(`${row.path.padEnd(60)} ${row.encoding.padEnd(9)} ${kb(row.bytes).padStart(12)}`);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  console.log(`${"total".padEnd(60)} ${"".padEnd(9)} ${kb(total).padStart(12)}  (${rows.length} responses)`);
  console.log(`Accept-Encoding sent by Chromium: ${acceptEncoding ?? "(not shown)"}`);
  await context.close();
});
