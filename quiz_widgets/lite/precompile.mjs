// Runs Python code in the site's own Pyodide under Node, with two host folders mounted:
//   node precompile.mjs CONFIG.json
// CONFIG: {"indexURL": the Pyodide core folder, "mounts": {"/in": "/host/a", ...}, "code": "python source"}
// Nothing is fetched: the core's files are read from disk and no package is loaded.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const index = config.indexURL.endsWith("/") ? config.indexURL : config.indexURL + "/";

let code = 1;
try {
  const { loadPyodide } = await import(pathToFileURL(index + "pyodide.mjs").href);
  const pyodide = await loadPyodide({
    indexURL: index,
    stdout: (line) => process.stdout.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  for (const [mountpoint, root] of Object.entries(config.mounts)) {
    pyodide.FS.mkdirTree(mountpoint);
    pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, mountpoint);
  }
  await pyodide.runPythonAsync(config.code);
  code = 0;
} catch (err) {
  process.stderr.write(`precompile: ${err && err.message ? err.message : err}\n`);
}
process.exit(code);
