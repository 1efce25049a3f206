/**
 * The code generator every spiking loop comes from, chosen in one place: select-generator.ts in
 * Node (compiled C++ when g++ and the addon are present, else JavaScript), select-generator-browser.ts
 * in a browser bundle (JavaScript).
 */
import { CodeGenerator, CompiledModel } from './generator';
import { Model } from './model';
import { selectGenerator } from './select-generator';

/** The backend that generates every loop (see the file comment). */
export function codeGenerator(): CodeGenerator {
  return selectGenerator();
}

/** Compiles a model for time step `dt` (seconds) with the chosen backend. */
export function compileModel(model: Model, dt: number): CompiledModel {
  return codeGenerator().model(model, dt);
}
