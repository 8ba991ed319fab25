// How ivsrt's non-template functions are compiled. By default they are inline and defined in the
// headers (header-only). With IVSRT_SEPARATE_COMPILATION defined for every translation unit, the
// headers declare them only and exactly one translation unit defines them by including
// ivsrt/impl/src.hpp (or the program links CMake's ivsrt::compiled), which keeps libcurl, OpenSSL,
// the credential providers and the config parser out of every other translation unit.
#pragma once

#if defined(IVSRT_SEPARATE_COMPILATION)
#define IVSRT_DECL
#else
#define IVSRT_DECL inline
#endif
