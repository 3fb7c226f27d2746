import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./helpers";

// Code splitting: the catalogue downloads only the main WebAssembly; each other page brings its
// own part (split out by `cargo leptos build --split`), and nothing of the editor or the diff.
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith(".wasm")) seen.push(path.replace("/pkg/", ""));
  });
  return seen;
}

const pageCode = (seen: string[], name: string) => seen.filter((p) => p.startsWith(`split___${name}_route_view_`));

test("the catalogue loads no page code; a page loads its own and no other", async ({ page }) => {
  const seen = wasmRequests(page);
  await page.goto("/");
  await hydrated(page);
  expect(seen).toContain("jesaisfaire.wasm");
  expect(seen.filter((p) => p.startsWith("split_"))).toEqual([]);

  // Following a link: the consultation page's code arrives, the page works (hydrated links,
  // outline), and neither the editor nor the comparison came with it.
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await expect(page.getByRole("navigation", { name: "Plan du cahier des charges" })).toBeVisible();
  expect(pageCode(seen, "consultation")).toHaveLength(1);
  expect(pageCode(seen, "editor")).toEqual([]);
  expect(pageCode(seen, "compare")).toEqual([]);

  await page.getByRole("link", { name: "Comparer avec la version 1" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Version 1 → version 2" })).toBeVisible();
  expect(pageCode(seen, "compare")).toHaveLength(1);
  expect(pageCode(seen, "editor")).toEqual([]);
});

// Issue 19: a page's code starts downloading when the pointer rests on a link to it (or the focus
// or a finger reaches it), so that it overlaps the gesture; nothing before.
test("a page's code loads when the pointer or the focus reaches a link to it", async ({ page }) => {
  const seen = wasmRequests(page);
  await page.goto("/");
  await hydrated(page);
  expect(pageCode(seen, "consultation")).toEqual([]);
  const chunk = page.waitForRequest((r) => new URL(r.url()).pathname.includes("split___consultation_route_view_"));
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).hover();
  await chunk;
  expect(pageCode(seen, "consultation")).toHaveLength(1);
  expect(pageCode(seen, "editor")).toEqual([]);
  // The click that follows uses it: no second download.
  await page.getByRole("link", { name: /Maintenance du parc informatique/ }).click();
  await expect(page.getByRole("navigation", { name: "Plan du cahier des charges" })).toBeVisible();
  expect(pageCode(seen, "consultation")).toHaveLength(1);

  // With the keyboard: the focus on « Comparer » loads the comparison's code.
  const compare = page.waitForRequest((r) => new URL(r.url()).pathname.includes("split___compare_route_view_"));
  await page.getByRole("link", { name: "Comparer avec la version 1" }).focus();
  await compare;
  expect(pageCode(seen, "compare")).toHaveLength(1);
});

test("a page opened directly hydrates with its own code", async ({ page }) => {
  const seen = wasmRequests(page);
  await page.goto("/connexion");
  await hydrated(page);
  expect(pageCode(seen, "sign_in")).toHaveLength(1);
  expect(pageCode(seen, "consultation")).toEqual([]);
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
