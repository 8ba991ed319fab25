// Catch2 2.x (Debian's) or 3.x, whichever the build found.
#pragma once

#if defined(IVSRT_CATCH3)
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#define IVSRT_SKIP(msg) SKIP(msg)
#else
#include <catch2/catch.hpp>
#define IVSRT_SKIP(msg) \
  do {                  \
    WARN(msg);          \
    return;             \
  } while (false)
#endif
