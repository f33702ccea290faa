// openapi-validate.mjs MODELS_DIR < docs.json: validates each Kubernetes
// object of a JSON array against the OpenAPI schema of its apiVersion and
// kind, through the validators kubernetes-models generates from the
// Kubernetes OpenAPI document (installed by manifests.py into MODELS_DIR).
// Prints one JSON line per object: {"kind", "name", "error"} where error is
// null when the object is valid.
import { readFileSync, existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const root = join(process.argv[2], "node_modules", "kubernetes-models");
const docs = JSON.parse(readFileSync(0, "utf8"));
for (const d of docs) {
  const parts = String(d.apiVersion || "").split("/");
  const dir = parts.length === 1 ? join(root, parts[0]) : join(root, parts[0], parts[1]);
  const file = join(dir, String(d.kind || "") + ".js");
  const out = { kind: d.kind, name: d.metadata && d.metadata.name, error: null };
  if (!existsSync(file)) {
    out.error = "no schema for " + d.apiVersion + " " + d.kind;
  } else {
    const mod = await import(pathToFileURL(file).href);
    try {
      new mod[d.kind](d).validate();
    } catch (e) {
      out.error = String(e.message || e);
    }
  }
  console.log(JSON.stringify(out));
}
