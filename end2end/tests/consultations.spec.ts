import { expect, test, type Page } from "@playwright/test";

const MAINTENANCE = "Maintenance du parc informatique de la préfecture et des sous-préfectures";

/** Fails the test on any console error or uncaught exception (a CSP block, a hydration panic). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

test("the list shows public consultations with their buyer, status and dates, never drafts", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  await expect(page).toHaveTitle(/Consultations de sourcing/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Consultations de sourcing");
  const cards = page.getByRole("list", { name: "Consultations" }).locator(":scope > li");
  // The two public demo consultations (journeys running alongside may announce others).
  await expect(cards.filter({ hasText: MAINTENANCE })).toHaveCount(1);
  await expect(cards.filter({ hasText: "Location longue durée de véhicules électriques" })).toHaveCount(1);
  const maintenance = cards.filter({ hasText: MAINTENANCE });
  await expect(maintenance).toContainText("Préfecture de Seine-et-Marne");
  await expect(maintenance).toContainText("Échanges en cours");
  await expect(maintenance).toContainText(/Échanges du \d+(er)? (\p{L}+ )?(\d{4} )?au \d+(er)? \p{L}+ \d{4}/u);
  await expect(maintenance).toContainText("Version 2 du cahier des charges");
  await expect(page.getByText("Refonte du site internet")).toHaveCount(0);
  await page.screenshot({ path: "screenshots/consultation-list.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("opening a consultation shows its current specification, outline and key facts", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  // Wait for the WebAssembly to take over, then navigate in the browser: the page data comes
  // from the server function, not from a full page load.
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  const apiCall = page.waitForRequest((r) => r.url().includes("/api/consultations/get") && r.method() === "POST");
  await page.getByRole("link", { name: MAINTENANCE }).click();
  await apiCall;
  await expect(page).toHaveURL(/\/consultations\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(MAINTENANCE);
  await expect(page.getByRole("heading", { name: /Projet de cahier des charges — version 2/ })).toBeVisible();
  const outline = page.getByRole("navigation", { name: "Plan du cahier des charges" });
  await expect(outline.getByRole("link")).toHaveCount(11);
  await outline.getByRole("link", { name: /Délais d'intervention/ }).click();
  await expect(page).toHaveURL(/#delais-d-intervention$/);
  await expect(page.locator("article.spec__text h4#delais-d-intervention")).toBeInViewport();
  await expect(page.locator("article.spec__text table").first()).toContainText("Postes de travail fixes");
  await page.goto(page.url().replace(/#.*$/, ""));
  await page.screenshot({ path: "screenshots/consultation.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("a consultation page from the server hydrates from its own HTML, without fetching the consultation again", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/");
  const href = await page.getByRole("link", { name: MAINTENANCE }).getAttribute("href");
  // The page's data leaves out the version's text and outline: the browser reads them back
  // from the page instead of asking the server function for them (or fails to hydrate).
  const fetched: string[] = [];
  page.on("request", (r) => r.url().includes("/api/consultations/get") && fetched.push(r.url()));
  await page.goto(href!);
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  const outline = page.getByRole("navigation", { name: "Plan du cahier des charges" });
  await expect(outline.getByRole("link")).toHaveCount(11);
  await expect(outline.getByRole("link", { name: /Délais d'intervention/ })).toHaveAttribute("href", "#delais-d-intervention");
  // A request of ours after hydration: one the page made as it hydrated would come before.
  await page.evaluate(() => fetch("/favicon.svg").then((r) => r.status));
  expect(fetched).toEqual([]);
  expect(errors).toEqual([]);
});

test("an unknown consultation answers 404 with a page that says what to do", async ({ page }) => {
  const response = await page.goto("/consultations/999999");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("Cette consultation est introuvable");
  await expect(page.getByRole("link", { name: "Revenir à la liste des consultations" })).toBeVisible();
});

test("pages carry a strict content security policy and still hydrate", async ({ page }) => {
  const errors = watchErrors(page);
  // A page the page cache may serve again names its scripts by hash; built, then served again
  // from the cache (the same bytes), it hydrates both times without a policy violation.
  for (const visit of ["built", "served again"]) {
    const response = await page.goto("/");
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp, visit).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+ 'wasm-unsafe-eval'/);
    expect(csp).not.toContain("'nonce-");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  }
  // Any other page carries a nonce of its own.
  const response = await page.goto("/connexion");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+' 'wasm-unsafe-eval'/);
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  expect(errors).toEqual([]);
});
