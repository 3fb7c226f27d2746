// Time to interactive of the dialogue's pages after a click (issues 15 and 19), in Chromium:
// - the consultation page, clicked in the catalogue by a signed-in company;
// - its comparison of versions, clicked on the consultation page by that company;
// - the editor, clicked on the consultation page by the buyer (« Rédiger la version suivante »).
// The comparison and the editor are not linked from the catalogue: people reach them from the
// consultation page, itself opened from the catalogue.
// A page counts as interactive when what a person reads and uses is drawn by the browser (its
// code has arrived, its data too, its event handlers are attached). Measured in the page with
// `performance.now()` from the click and a MutationObserver, so that Playwright's polling does not
// count. For each page: a first visit (empty HTTP cache, a new browser context each round, the
// start page opened directly), the same with the pointer resting on the link before the click,
// and a return (same context, the code revalidated). Median of 7 each. Run by
// scripts/bench-tti.sh; TTI_TRACE=1 also prints, for each round, the requests made after the click.
import { test, type Browser, type Page } from "@playwright/test";
import { BUYER, hydrated, signIn } from "../tests/helpers";

const ROUNDS = 7;

// A person's pointer rests on a link before the click (a few hundred milliseconds is usual); the
// site starts loading the page's code when the pointer arrives. Modelled conservatively.
const DWELL_MS = 150;

type Journey = {
  page: string;
  account: string;
  start: string;
  link: string;
  /** The URL reached, as a regular expression on the path. */
  reached: RegExp;
  /** Which page's readiness to wait for (evaluated in the page). */
  ready: "consultation" | "comparison" | "editor";
};

const JOURNEYS: Journey[] = [
  {
    page: "consultation",
    account: "entreprise@demo.jesaisfaire.fr",
    start: "/",
    link: "Maintenance du parc informatique de la préfecture et des sous-préfectures",
    reached: /\/consultations\/\d+$/,
    ready: "consultation",
  },
  {
    page: "comparison",
    account: "entreprise@demo.jesaisfaire.fr",
    start: "/consultations/1",
    link: "Comparer avec la version 1",
    reached: /\/consultations\/1\/comparer\?/,
    ready: "comparison",
  },
  {
    page: "editor",
    account: BUYER,
    start: "/consultations/1",
    link: "Rédiger la version suivante",
    reached: /\/consultations\/1\/rediger$/,
    ready: "editor",
  },
];

async function clickToInteractive(page: Page, journey: Journey, dwell = 0): Promise<number> {
  await page.goto(journey.start);
  await hydrated(page);
  await page.evaluate((which) => {
    const w = window as unknown as { __tti?: Promise<number>; __t0?: number };
    const ready = {
      consultation: () =>
        document.querySelector("section.spec .spec__layout") !== null &&
        document.querySelector("section.participation") !== null &&
        document.querySelector("section.spec h2")?.textContent?.includes("version") === true,
      comparison: () =>
        document.querySelector("section.compare .compare__summary") !== null &&
        document.querySelector("section.compare .compare__tools button") !== null,
      editor: () =>
        document.querySelector("textarea.editor__textarea") !== null &&
        (document.querySelector(".editor__preview .spec__text")?.childElementCount ?? 0) > 0 &&
        document.querySelector(".editor__outline li") !== null,
    }[which];
    w.__tti = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        if (ready()) {
          observer.disconnect();
          resolve(performance.now() - (w.__t0 ?? 0));
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  }, journey.ready);
  const link = page.getByRole("link", { name: journey.link, exact: true }).first();
  if (dwell > 0) {
    await link.hover();
    await page.waitForTimeout(dwell);
  }
  // The clock starts in the page when the click event is dispatched.
  await link.evaluate((a) => {
    (window as unknown as { __t0: number }).__t0 = performance.now();
    (a as HTMLElement).click();
  });
  const ms = await page.evaluate(() => (window as unknown as { __tti: Promise<number> }).__tti);
  if (process.env.TTI_TRACE) {
    // Where the time went: each request made after the click, relative to it.
    const trace = await page.evaluate(() => {
      const t0 = (window as unknown as { __t0: number }).__t0;
      return performance
        .getEntriesByType("resource")
        .map((e) => e as PerformanceResourceTiming)
        .filter((e) => e.startTime >= t0)
        .map((e) => `${e.name.replace(/^.*\//, "").slice(0, 48)} ${Math.round(e.startTime - t0)}→${Math.round(e.responseEnd - t0)} ms ${e.transferSize} B`);
    });
    console.log(`${journey.page}: ${Math.round(ms)} ms\n  ${trace.join("\n  ")}`);
  }
  const path = new URL(page.url()).pathname + new URL(page.url()).search;
  if (!journey.reached.test(path)) throw new Error(`not on the ${journey.page} page: ${page.url()}`);
  return ms;
}

async function newContext(browser: Browser, state: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>) {
  return browser.newContext({ storageState: state, locale: "fr-FR", timezoneId: "Europe/Paris" });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const journey of JOURNEYS) {
  test(`${journey.page} page: click to interactive`, async ({ browser, page }) => {
    await signIn(page, journey.account);
    const state = await page.context().storageState();
    const firstVisits = async (dwell: number) => {
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const context = await newContext(browser, state);
        times.push(await clickToInteractive(await context.newPage(), journey, dwell));
        await context.close();
      }
      return times;
    };
    const first = await firstVisits(0);
    const pointed = await firstVisits(DWELL_MS);
    // Warm once, then measure returns in the same context.
    await clickToInteractive(page, journey);
    const back: number[] = [];
    for (let i = 0; i < ROUNDS; i++) back.push(await clickToInteractive(page, journey));
    const [f, p, b] = [first, pointed, back].map((xs) => median(xs).toFixed(0));
    console.log(
      `${journey.page} page, click to interactive: first visit ${f} ms, first visit with the pointer ${DWELL_MS} ms on the link before the click ${p} ms, return ${b} ms (median of ${ROUNDS})`,
    );
    console.log(JSON.stringify({ page: journey.page, first: first.map(Math.round), pointed: pointed.map(Math.round), back: back.map(Math.round) }));
  });
}
