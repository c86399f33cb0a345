// Reads a timeline.json with TimelineJS's own configuration class (TimelineConfig, from the
// npm package @knight-lab/timelinejs) under node, and prints what TimelineJS made of it.
// Usage: node --import ./timelinejs_hooks.mjs timelinejs_check.mjs PACKAGE_DIR TIMELINE.json
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

// TimelineConfig strips markup from display dates and groups with the browser's DOMParser;
// node has none. This stand-in drops tags and decodes the entities the export writes, which
// is all the browser would do to such text.
globalThis.DOMParser = class {
  parseFromString(text) {
    const plain = text.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
    return { body: { textContent: plain } };
  }
};

const [packageDir, file] = process.argv.slice(2);
const source = (name) => pathToFileURL(path.join(packageDir, "src", "js", name)).href;
const { TimelineConfig } = await import(source("core/TimelineConfig.js"));
const data = JSON.parse(readFileSync(file, "utf-8"));
const config = new TimelineConfig(data);
config.validate();
const date = (d) => d && { ms: d.getTime(), display: d.data.display_date ?? null,
                           scale: d.findBestFormat ? d.findBestFormat() : null };
console.log(JSON.stringify({
  valid: config.isValid(),
  errors: config.getErrors().map(String),
  scale: config.scale,
  events: config.events.map((e) => ({
    unique_id: e.unique_id, group: e.group ?? null, display_date: e.display_date ?? null,
    start: date(e.start_date), end: date(e.end_date),
  })),
}));
