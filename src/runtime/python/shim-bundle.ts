/**
 * The shim reaches every interpreter as one Python module, `gil_lab_shim`, whose text is the
 * files of `shim/` joined in file-name order (hence their number prefixes). One module rather
 * than a package keeps the parts sharing `_run` and the other module globals exactly as a single
 * file would, so a part may use any name an earlier part defines. The browser bundles the files
 * with Vite (shim-source.ts); Node reads them from disk and joins them with the same function.
 */

/** Joins the shim's parts, keyed by path or file name, into the text of `gil_lab_shim.py`. */
export function bundleShim(parts: Readonly<Record<string, string>>): string {
  return Object.keys(parts)
    .sort()
    .map((path) => `# ===== shim/${path.slice(path.lastIndexOf('/') + 1)}\n${parts[path]}`)
    .join('\n\n');
}
