/**
 * The spiking loops' backend in a browser, in select-generator.ts's place in a browser bundle
 * (web/bundle.ts): a page has no C++ compiler and no addon to load one's output, so every loop is
 * generated JavaScript (javascript.ts).
 */
import { CodeGenerator } from './generator';
import { javascriptGenerator } from './javascript';

export function selectGenerator(): CodeGenerator {
  return javascriptGenerator;
}
