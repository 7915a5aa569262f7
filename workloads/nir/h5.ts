// The one place that loads h5wasm (HDF5 compiled to WebAssembly, npm `h5wasm`) for NIR files: files
// are opened in its in-memory file system from bytes, HDF5's diagnostics are turned into thrown
// errors (instead of pages printed to stderr), and the NIR format versions joulebench reads are named.

import h5wasm from 'h5wasm';

/** The NIR format generations joulebench reads and writes (the file's root `version`, e.g. "0.1.1", "0.2.0"). */
export const NIR_FORMATS = ['0.1', '0.2'] as const;
export type NirFormat = (typeof NIR_FORMATS)[number];

/** "0.2.0" → '0.2'; undefined for any version of another generation. */
export function nirFormatOf(version: string): NirFormat | undefined {
  const m = /^0\.([12])(\.|$|[a-z])/.exec(version.trim());
  return m === null ? undefined : (`0.${m[1]}` as NirFormat);
}

type H5Module = Awaited<typeof h5wasm.ready>;
let loaded: Promise<H5Module> | undefined;

/** h5wasm's module, loaded once, with HDF5 errors thrown as JavaScript errors. */
export function h5Module(): Promise<H5Module> {
  loaded ??= h5wasm.ready.then((module) => {
    module.activate_throwing_error_handler();
    return module;
  });
  return loaded;
}

let counter = 0;
/** A fresh path in h5wasm's in-memory file system. */
export function memPath(kind: string): string {
  counter += 1;
  return `/joulebench-nir-${process.pid}-${counter}-${kind}.h5`;
}

/** Removes a file of the in-memory file system, ignoring one that is not there. */
export function unlinkQuietly(module: H5Module, path: string): void {
  try {
    module.FS.unlink(path);
  } catch {
    // not created (the open failed before)
  }
}

/** HDF5's error stack condensed to its most specific line (e.g. "truncated file: eof = 4166, …"). */
export function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  // The innermost frame (`#00N: … in F(): what`) says what went wrong in the file's own terms.
  const frames = lines.filter((l) => /^#\d+:/.test(l));
  const last = frames.length > 0 ? frames[frames.length - 1] : (lines[0] ?? 'unknown error');
  const what = /\(\):\s*(.*)$/.exec(last)?.[1] ?? last;
  return what.length > 160 ? `${what.slice(0, 160)}…` : what;
}

export { h5wasm };
