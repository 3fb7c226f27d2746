import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./helpers";

// Code splitting: the catalogue downloads only the main WebAssembly; each other page brings the
// module of its group of pages (split out by `scripts/site-builder`, grouped in
// `src/app.rs`): the dialogue's pages one module, the procedure's another, signing in a third…
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith(".wasm")) seen.push(path.replace("/pkg/", ""));
  });
  return seen;
}

const pageCode = (seen: string[], name: string) => seen.filter((p) => p === `split_${name}.wasm`);
const OTHER_MODULES = ["procedure", "entry", "home", "needs"];

test("the catalogue loads no page code; a page loads its group's module and no other", async ({ page }) => {
  const seen = wasmRequests(page);
  await page.goto("/");
  await hydrated(page);
  expect(seen).toContain("jesaisfaire.wasm");
  expect(seen.filter((p) => p.startsWith("split_"))).toEqual([]);

  // Following a link: the dialogue's module arrives (a handful of files, not hundreds), the page
  // works (hydrated links, outline), and no other group's module came with it.
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await expect(page.getByRole("navigation", { name: "Plan du cahier des charges" })).toBeVisible();
  expect(pageCode(seen, "dialogue")).toHaveLength(1);
  for (const other of OTHER_MODULES) expect(pageCode(seen, other)).toEqual([]);
  const files = seen.length;
  expect(files, seen.join(" ")).toBeLessThan(25);

  // The comparison is in the same module: nothing more to download.
  await page.getByRole("link", { name: "Comparer avec la version 1" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Version 1 → version 2" })).toBeVisible();
  expect(seen).toHaveLength(files);

  // The upcoming needs belong to another module, which comes then.
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Besoins à venir" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Besoins à venir" })).toBeVisible();
  expect(pageCode(seen.slice(files), "needs")).toHaveLength(1);
  expect(pageCode(seen, "dialogue")).toHaveLength(1);
});

// Issue 19: a page's code starts downloading when the pointer rests on a link to it (or the focus
// or a finger reaches it), so that it overlaps the gesture; nothing before.
test("a page's code loads when the pointer or the focus reaches a link to it", async ({ page }) => {
  const seen = wasmRequests(page);
  await page.goto("/");
  await hydrated(page);
  expect(pageCode(seen, "dialogue")).toEqual([]);
  const chunk = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith("/split_dialogue.wasm"));
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).hover();
  await chunk;
  expect(pageCode(seen, "dialogue")).toHaveLength(1);
  // The click that follows uses it: no second download.
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await expect(page.getByRole("navigation", { name: "Plan du cahier des charges" })).toBeVisible();
  expect(pageCode(seen, "dialogue")).toHaveLength(1);
});

// With the keyboard: the focus on a link to a dialogue page loads its module.
test("the focus on a link to a dialogue page loads its code", async ({ page }) => {
  const seen = wasmRequests(page);
  await page.goto("/");
  await hydrated(page);
  const chunk = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith("/split_dialogue.wasm"));
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).focus();
  await chunk;
  expect(pageCode(seen, "dialogue")).toHaveLength(1);
});

test("a page opened directly hydrates with its own code", async ({ page }) => {
  const seen = wasmRequests(page);
  await page.goto("/connexion");
  await hydrated(page);
  expect(pageCode(seen, "entry")).toHaveLength(1);
  expect(pageCode(seen, "dialogue")).toEqual([]);
});

// The first load stays small (issue 19: 250 KB on the wire for the catalogue, everything
// counted; see scripts/bench-first-load.sh). The main module is most of it. Two regressions it
// guards against: page data started in a route's `data()` (it pulls every page's server-function
// clients and JSON decoding into the main module: 414 KB), and the splitter keeping all constant
// data in the main module when its re-packed segment overflows (`SPLIT_DATA_SLACK` in src/lib.rs;
// +70 KB).
test("the main WebAssembly module stays small on the wire", async ({ request }) => {
  const answer = await request.get("/pkg/jesaisfaire.wasm", { headers: { "accept-encoding": "br" } });
  expect(answer.ok()).toBeTruthy();
  expect(answer.headers()["content-encoding"]).toBe("br");
  const bytes = Number(answer.headers()["content-length"]);
  expect(bytes).toBeGreaterThan(100_000);
  expect(bytes, `main module ${bytes} bytes in Brotli`).toBeLessThan(230_000);
});
