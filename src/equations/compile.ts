/**
 * The code generator every spiking loop comes from, chosen here and nowhere else: generated
 * JavaScript (javascript.ts). A compiled backend (WebAssembly, C++) implements the same
 * CodeGenerator interface (generator.ts) and replaces it wholesale by changing this one choice.
 */
import { CodeGenerator, CompiledModel } from './generator';
import { javascriptGenerator } from './javascript';
import { Model } from './model';

/** The backend that generates every loop. */
export function codeGenerator(): CodeGenerator {
  return javascriptGenerator;
}

/** Compiles a model for time step `dt` (seconds) with the chosen backend. */
export function compileModel(model: Model, dt: number): CompiledModel {
  return codeGenerator().model(model, dt);
}
