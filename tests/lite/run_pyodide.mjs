// Runs a Python file in Pyodide under Node, with nothing but local files:
//   node run_pyodide.mjs CONFIG.json
// CONFIG: {"indexURL": folder with the Pyodide core, its lock and the wheels it lists,
//          "mounts": {"/in/pyodide": "/host/folder", ...}, "main": "/in/pyodide/file.py", "argv": [...]}
// Any request for something that is not a local file fails (and is reported), so a test that passes here
// passed offline. The exit code is the Python file's `exit_code` global (1 if it raised).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const index = config.indexURL.endsWith("/") ? config.indexURL : config.indexURL + "/";

const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  if (!url.startsWith("file:") && !url.startsWith("/")) {
    process.stderr.write(`run_pyodide: blocked a network request for ${url}\n`);
    throw new TypeError(`offline: ${url}`);
  }
  return realFetch(resource, options);
};

async function main() {
  const { loadPyodide } = await import(pathToFileURL(index + "pyodide.mjs").href);
  const pyodide = await loadPyodide({
    indexURL: index,
    packageBaseUrl: index,
    stdout: (line) => process.stdout.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  for (const [mountpoint, root] of Object.entries(config.mounts || {})) {
    pyodide.FS.mkdirTree(mountpoint);
    pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, mountpoint);
  }
  await pyodide.loadPackage(["micropip"]);
  pyodide.globals.set("HARNESS_ARGV", pyodide.toPy(config.argv || []));
  const main = pyodide.FS.readFile(config.main, { encoding: "utf8" });
  await pyodide.runPythonAsync(main, { filename: config.main });
  return pyodide.globals.get("exit_code") ?? 0;
}

// Errors are printed by message: Node's default report quotes the whole minified line of Pyodide.
let code = 1;
try {
  code = await main();
} catch (err) {
  process.stderr.write(`run_pyodide: ${err && err.message ? err.message : err}\n`);
}
process.exit(code);
