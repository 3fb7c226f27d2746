// The Code civil consultation page (2,793 clauses, 300 contributions) in Chromium, as a company
// with 100 contributions of its own and as the buyer who answers all 300: time until the page is
// hydrated, and the longest task of the main thread on the way. Run by scripts/bench-large-page.sh
// against the load fixture's server; prints each load, then the medians. Another page of the
// fixture (its dossier's internal edition, which only the buyer reads) and who loads it are
// arguments.
import { chromium } from "@playwright/test";

const [base, companyCookie, path = "/consultations/6", rounds = "5", who = "company,buyer"] = process.argv.slice(2);

async function buyerCookie(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/connexion`);
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await page.getByLabel("Adresse e-mail").fill("acheteuse@demo.jesaisfaire.fr");
  await page.getByLabel("Mot de passe").fill("sourcing-demo-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/\/acheteur$/);
  const session = (await context.cookies()).find((c) => c.httpOnly);
  await context.close();
  return `${session.name}=${session.value}`;
}

async function load(browser, cookie) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const name = cookie.split("=")[0];
  await context.addCookies([{ name, value: cookie.slice(name.length + 1), url: base }]);
  await context.addInitScript(() => {
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push(e.duration);
    }).observe({ type: "longtask", buffered: true });
    // The moment the app marks the page hydrated (`data-hydrated` on <html>, set after parsing).
    document.addEventListener("DOMContentLoaded", () => {
      new MutationObserver(() => {
        if (document.documentElement.dataset.hydrated === "true") window.__hydrated ??= performance.now();
      }).observe(document.documentElement, { attributes: true });
    });
  });
  const page = await context.newPage();
  // A fresh address each time: the server builds the page instead of serving it from its cache.
  const fresh = `${path.includes("?") ? "&" : "?"}bench=${Date.now()}`;
  await page.goto(`${base}${path}${fresh}`, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__hydrated !== undefined, null, { timeout: 120_000 });
  const result = await page.evaluate(() => ({
    parsed: performance.getEntriesByType("navigation")[0].domInteractive,
    hydrated: window.__hydrated,
    longest: Math.max(0, ...window.__tasks),
    // What made such pages slow: each form field costs a layout once the HTML is parsed.
    fields: document.querySelectorAll("input, textarea, select").length,
  }));
  await context.close();
  return result;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`.padStart(8);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
const viewers = who.split(",");
const cookies = [];
if (viewers.includes("company")) cookies.push(["company", companyCookie]);
if (viewers.includes("buyer")) cookies.push(["buyer", await buyerCookie(browser)]);
for (const [who, cookie] of cookies) {
  const runs = [];
  for (let i = 0; i < Number(rounds); i++) {
    const r = await load(browser, cookie);
    runs.push(r);
    console.log(`${who.padEnd(8)} load ${i + 1}: HTML parsed ${ms(r.parsed)}, hydrated ${ms(r.hydrated)}, longest task ${ms(r.longest)}, ${r.fields} form fields`);
  }
  const m = (k) => ms(median(runs.map((r) => r[k])));
  console.log(`${who.padEnd(8)} MEDIAN of ${runs.length}: HTML parsed ${m("parsed")}, hydrated ${m("hydrated")}, longest task ${m("longest")}`);
}
await browser.close();
