/**
 * How the files a command writes for people (compare.md/csv, sweep.md/csv, tune.md) name paths:
 * relative to the folder the command ran in — the project — never absolute, so results committed
 * under results/ stay true wherever the project is checked out. A relative path is kept as given.
 */
import * as path from 'path';

/** `p` relative to `root` (default: the working directory); a relative `p` unchanged. */
export function projectPath(p: string, root: string = process.cwd()): string {
  return path.isAbsolute(p) ? path.relative(root, p) || '.' : p;
}

/**
 * The command line as quoted in a report: "apical" and the arguments, each absolute path (alone or
 * as the value of `--flag=value`) made relative to `root`.
 */
export function commandLine(argv: readonly string[], root: string = process.cwd()): string {
  const shown = argv.map((arg) => {
    const flag = /^(--[\w-]+=)(.*)$/.exec(arg);
    return flag ? flag[1] + projectPath(flag[2], root) : projectPath(arg, root);
  });
  return ['apical', ...shown].join(' ');
}
