// Lets node load TimelineJS's browser sources: its ES modules import without file
// extensions and sit in a package that does not say "type": "module"; the two modules
// that need a browser (the HTML sanitiser and the network helpers) are replaced by stubs,
// which the configuration and date code only reach when rendering or fetching.
import { register } from "node:module";

const hooks = `
const stubs = {
  dompurify: "export default { addHook() {}, sanitize: (text) => text };",
  net: "export function fetchJSON() { throw new Error('no network'); }\\n" +
       "export function ajax() { throw new Error('no network'); }",
};
export async function resolve(specifier, context, next) {
  if (specifier === "dompurify") return { url: "stub:dompurify", shortCircuit: true };
  if (specifier.endsWith("/net/Net")) return { url: "stub:net", shortCircuit: true };
  if (specifier.startsWith(".") && !/\\.[cm]?js$/.test(specifier)) {
    return next(specifier + ".js", context);
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith("stub:")) {
    return { format: "module", source: stubs[url.slice(5)], shortCircuit: true };
  }
  if (url.includes("/@knight-lab/timelinejs/src/")) {
    const loaded = await next(url, { ...context, format: "module" });
    return { ...loaded, format: "module", shortCircuit: true };
  }
  return next(url, context);
}`;
register("data:text/javascript," + encodeURIComponent(hooks));
