// table.cc — this instruction set's kernels as a KernelTable (compiled once per ISA, like the
// kernels themselves; APICAL_ISA is the namespace and names the set).
#include "kernels.h"

#define APICAL_STRINGIFY2(x) #x
#define APICAL_STRINGIFY(x) APICAL_STRINGIFY2(x)

namespace apical {
namespace APICAL_ISA {

extern const KernelTable table = {
    APICAL_STRINGIFY(APICAL_ISA), gemm,       dense,       activate,   deltaFromGrad,
    deltaFromTarget,              axpby,      copyBlock, addDifference, columnSums, softmaxCrossEntropy,
    countErrors,                  sumSquaredDifference, sgdStep, rmspropStep, adamStep,
    addGaussianNoise,             errorThroughSteps, denseConcat,
};

}  // namespace APICAL_ISA
}  // namespace apical
