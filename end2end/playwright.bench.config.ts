// Benchmarks in Chromium, apart from the test suite: `scripts/bench-diff-wasm.sh`.
import base from "./playwright.config";

export default { ...base, testDir: "./bench", testMatch: "**/*.bench.ts", timeout: 240_000, fullyParallel: false, workers: 1 };
