// Catch2 2.x needs one translation unit that provides main(); 3.x links Catch2WithMain instead.
#if !defined(IVSRT_CATCH3)
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#endif
