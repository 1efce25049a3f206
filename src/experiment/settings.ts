/**
 * `--set a.b.c=value`: one setting over an experiment file's own, applied to its raw JSON before the
 * file is checked, whatever the experiment's kind (rate, spiking DTP, spiking simulation). The value
 * is read as JSON, else taken as a string; null removes the field.
 */
import { ConfigError } from './config-error';

/** Applies one "a.b.c=value" setting to the raw experiment `json` (intermediate objects created; null deletes). */
export function applySetting(json: unknown, setting: string, file: string): void {
  const match = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)=(.*)$/s.exec(setting);
  if (!match) throw new ConfigError(`--set ${setting}: expected field.path=value, e.g. optimizer.forward.lr=3e-4`);
  const [, where, text] = match;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  const keys = where.split('.');
  let node = json as Record<string, unknown>;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= {};
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) {
      throw new ConfigError(`--set ${setting}: /${keys.slice(0, i + 1).join('/')} in ${file} is not an object`);
    }
    node = node[key] as Record<string, unknown>;
  });
  if (value === null) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
}
