// dispatch.h — which instruction sets this addon holds kernels for, and which of them the CPU runs.
#pragma once
#include <string>
#include <vector>

#include "isa.h"

namespace apical {

/** The compiled-in kernel tables this CPU can run, fastest first (never empty). */
std::vector<const KernelTable*> supportedTables();

/** Every compiled-in instruction set's name, fastest first (whether this CPU runs it or not). */
std::vector<std::string> compiledIsas();

/** What the CPU offers, in the ISA names of this addon, e.g. "avx2 (AVX2+FMA, no AVX-512)". */
std::string cpuDescription();

}  // namespace apical
