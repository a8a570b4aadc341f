// The one translation unit nvcc compiles into geocont_kernels.fatbin (native/build-kernels.sh):
// every kernel in one module, loaded once with cuModuleLoadData.
#include "layers.cu"
#include "attention.cu"
#include "elementwise.cu"
