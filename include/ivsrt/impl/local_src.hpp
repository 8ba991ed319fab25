// A program built with IVSRT_SEPARATE_COMPILATION that embeds the local service includes this
// header in one translation unit, besides ivsrt/impl/src.hpp (CMake's ivsrt::local_compiled and
// Meson's ivsrt_local_compiled_dep do both): it defines the local service's routing table, which
// the other translation units only declare (ivsrt/local/dispatch.hpp).
#pragma once

#if !defined(IVSRT_SEPARATE_COMPILATION)
#error \
    "ivsrt/impl/local_src.hpp is for builds that define IVSRT_SEPARATE_COMPILATION in every translation unit"
#endif

#include "ivsrt/impl/local.ipp"
