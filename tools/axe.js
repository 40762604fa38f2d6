#!/usr/bin/env node
// Runs axe-core's rules on rendered pages in Debian's headless Chromium:
// every page at a phone's and a laptop's width. Prints one tab-separated
// line per page and width (file, width, axe's version, rules passed,
// violations as rule:impact:count, what axe could not decide as
// rule:count:reasons), and with --json FILE writes every violation in full
// (rule, impact, WCAG tags, the elements it was found on). Used by
// tests/testthat/test-report-a11y.R; by hand:
//
//   npm ci --prefix tools             # once (make deps does it)
//   node tools/axe.js [--json axe.json] report.html [more.html ...]
//
// Exit status: 0 no violations, 1 violations, 2 the pages could not be
// checked. CHROMIUM sets the browser (default /usr/bin/chromium).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const AXE = require.resolve("axe-core/axe.min.js");
// A phone and a laptop: tables that fit one may scroll on the other.
const WIDTHS = [390, 1280];
// The flags this machine needs: no sandbox as root, and no background
// networking (its connections are refused here, and it would slow the start).
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
  "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

async function check(context, file, width) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
  await page.addScriptTag({ path: AXE });
  // every rule axe runs by default (WCAG 2.0, 2.1 and 2.2 A and AA, and
  // best practices), so that "no violations" means no violation of any level
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations", "incomplete"] });
    const nodes = (v) => v.nodes.slice(0, 5).map((n) => ({
      target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary,
    }));
    return {
      version: window.axe.version,
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, tags: v.tags, help: v.help,
        count: v.nodes.length, nodes: nodes(v),
      })),
      // what axe could not decide, with why (for colour contrast, text
      // scrolled out of its region's view has no background to measure)
      incomplete: r.incomplete.map((v) => ({
        id: v.id, impact: v.impact, count: v.nodes.length,
        reasons: [...new Set(v.nodes.flatMap((n) => n.any.concat(n.all, n.none)
          .map((c) => (c.data && c.data.messageKey) || c.id)))],
      })),
    };
  });
  await page.close();
  return Object.assign({ file, width }, result);
}

async function main() {
  const args = process.argv.slice(2);
  let json = null;
  if (args[0] === "--json") {
    json = args[1];
    args.splice(0, 2);
  }
  const files = args;
  if (files.length === 0 || json === undefined) {
    console.error("usage: node tools/axe.js [--json out.json] page.html [page.html ...]");
    process.exit(2);
  }
  // a fresh profile each run, removed afterwards
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "axe-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: FLAGS,
    });
    const results = [];
    for (const file of files) {
      for (const width of WIDTHS) results.push(await check(context, file, width));
    }
    if (json) fs.writeFileSync(json, JSON.stringify(results, null, 1) + "\n");
    const lines = ["file\twidth\taxe\tpasses\tviolations\tincomplete"];
    for (const r of results) {
      lines.push([
        r.file, r.width, r.version, r.passes,
        r.violations.map((v) => `${v.id}:${v.impact}:${v.count}`).join(","),
        r.incomplete.map((v) => `${v.id}:${v.count}:${v.reasons.join("|")}`).join(","),
      ].join("\t"));
    }
    process.stdout.write(lines.join("\n") + "\n");
    const found = results.some((r) => r.violations.length > 0);
    process.exitCode = found ? 1 : 0;
  } finally {
    if (context) await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(2);
});
