// The compiled part of ivsrt for builds with IVSRT_SEPARATE_COMPILATION: CMake's ivsrt::compiled
// and Meson's ivsrt_compiled_dep build this file; other build systems compile it (or include
// ivsrt/impl/src.hpp from one of their own files) once per program.
#include "ivsrt/impl/src.hpp"
