import { posix } from 'node:path';

/** One place where a file refers to something a plain clone of the repository does not have. */
export interface OutsideReference {
  /** Repository-relative, `/`-separated. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** What was found: the reference itself, as written. */
  readonly found: string;
  readonly why: string;
}

/**
 * Names that point out of the repository whatever the base: the reference folder that sits beside the
 * repository on development machines (its parent-relative spelling, or one of its sub-folders by name)
 * and this machine's absolute work and home folders.
 */
const ALWAYS_OUTSIDE: readonly { re: RegExp; why: string }[] = [
  { re: /\.\.\/shared\b[^\s'"`)]*/g, why: 'the reference folder beside the repository' },
  { re: /(?<![\w./-])shared\/(?:tools|asterisk|freeswitch|models|seeds|engines)\b[^\s'"`)]*/g, why: 'a sub-folder of the reference folder beside the repository' },
  { re: /(?<![\w.-])\/(?:work|home)\/[^\s'"`)]*/g, why: 'an absolute path on a development machine' },
];

const CODE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/**
 * Relative paths a module resolves: `new URL('…', import.meta.url)`, static and dynamic imports, and the
 * literals given to `resolve(…)` / `join(…)` (read against the file's own folder, the usual base; a
 * literal under another base such as a ROOT constant is only caught when it escapes from here too).
 * Only the static start of a template literal counts (up to its first `${`).
 */
const CODE_PATHS: readonly RegExp[] = [
  /new URL\(\s*(['"`])(\.{1,2}\/[^'"`$]*)/g,
  /\bfrom\s+(['"])(\.{1,2}\/[^'"]*)\1/g,
  /\bimport\(\s*(['"`])(\.{1,2}\/[^'"`$]*)/g,
];
/** On a line that calls `resolve(` or `join(`, every parent-relative literal (the arguments may nest calls). */
const PATH_CALL = /\b(?:resolve|join)\(/;
const PARENT_LITERAL = /(['"`])(\.\.\/[^'"`$]*)/g;

/** Markdown: link targets and code spans that are parent-relative paths. */
const MARKDOWN_PATHS: readonly RegExp[] = [/\]\((\.\.\/[^)\s#]*)/g, /`(\.\.\/[^`\s]*)`/g];

/** Whether `target`, read against the folder of repository file `file`, leaves the repository. */
export function escapesRepository(file: string, target: string): boolean {
  const resolved = posix.normalize(posix.join(posix.dirname(file), target));
  return resolved === '..' || resolved.startsWith('../');
}

/**
 * Every reference out of the repository in one file's text. Pure: `file` is only used to resolve
 * relative paths and to name the finding.
 */
export function findOutsideReferences(file: string, text: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  const lines = text.split('\n');
  const paths = CODE.test(file) ? CODE_PATHS : file.endsWith('.md') ? MARKDOWN_PATHS : [];
  lines.forEach((lineText, i) => {
    const seen = new Set<string>();
    const add = (what: string, why: string): void => {
      if (seen.has(what)) return;
      seen.add(what);
      found.push({ file, line: i + 1, found: what, why });
    };
    for (const { re, why } of ALWAYS_OUTSIDE) {
      for (const m of lineText.matchAll(re)) add(m[0], why);
    }
    const patterns = paths === CODE_PATHS && PATH_CALL.test(lineText) ? [...paths, PARENT_LITERAL] : paths;
    for (const re of patterns) {
      for (const m of lineText.matchAll(re)) {
        const target = m[m.length - 1]!;
        if (escapesRepository(file, target)) add(target, `a relative path that leaves the repository from ${posix.dirname(file)}/`);
      }
    }
  });
  return found;
}
