// The local service's compiled part for builds with IVSRT_SEPARATE_COMPILATION: CMake's
// ivsrt::local_compiled and Meson's ivsrt_local_compiled_dep build this file, next to src/ivsrt.cpp.
#include "ivsrt/impl/local_src.hpp"
