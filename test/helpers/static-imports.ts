import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** A static import of a module under src/: `import … from 'x'`, `export … from 'x'` or `import 'x'`. */
export interface StaticImport {
  /** The importing file, relative to src/. */
  file: string;
  specifier: string;
  statement: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every static import of every module under src/, type-only ones left out (they vanish at build
 * time): what a bundle loads as soon as the library is imported. Lazy `import()` calls are not
 * statements and do not match.
 */
export function staticImports(): StaticImport[] {
  return sourceFiles(SRC).flatMap((path) => {
    const file = relative(SRC, path);
    const text = readFileSync(path, 'utf8');
    const withBindings = [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)];
    const bare = [...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)];
    return [...withBindings, ...bare].map((match) => ({ file, specifier: match[1]!, statement: match[0].trim() }));
  });
}
