#!/bin/sh
# Builds and runs the consumer program (main.cpp + other.cpp) in every way the README documents:
# cmake --install + find_package, add_subdirectory, pkg-config, a Meson subproject, once with
# -fno-exceptions -fno-rtti, and with IVSRT_SEPARATE_COMPILATION; and local_main.cpp, which embeds
# the local service, through the ivsrt::local target and the ivsrt-local pkg-config module.
# After the install, the builds run in two halves side by side (each is mostly one compiler at a
# time), each writing a log that is printed when both are done.
# Usage: run.sh SOURCE_DIR WORK_DIR
set -eu
src=$(cd "$1" && pwd)
work=$2
here="$src/tests/consumer"
rm -rf "$work"
mkdir -p "$work"
expected="POST https://ivsrealtime.us-west-2.amazonaws.com/GetStage"

check() {
  out=$("$@")
  [ "$out" = "$expected" ] || { echo "unexpected output from $*: $out" >&2; exit 1; }
  echo "ok: $*"
}

check_local() {
  out=$("$1")
  [ "$out" = "local service: 1 stage" ] || { echo "unexpected output from the local consumer $1: $out" >&2; exit 1; }
  echo "ok: $1"
}

pkg_flags() {
  PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig" pkg-config --cflags --libs "$1"
}

# The builds, in two halves of about equal work that run side by side.
first_half() {
  echo "== find_package(ivsrt)"
  cmake -S "$here/find_package" -B "$work/find_package" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  cmake --build "$work/find_package" >/dev/null
  check "$work/find_package/consumer"

  echo "== find_package(ivsrt), the ivsrt::local target"
  cmake -S "$here/local_find_package" -B "$work/local_find_package" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  cmake --build "$work/local_find_package" >/dev/null
  check_local "$work/local_find_package/local_consumer"

  echo "== pkg-config ivsrt-local"
  flags=$(pkg_flags ivsrt-local)
  # shellcheck disable=SC2086
  ${CXX:-c++} -std=c++20 -Wall -Wextra -Werror "$here/local_main.cpp" $flags -o "$work/pkgconfig-local-consumer"
  check_local "$work/pkgconfig-local-consumer"

  echo "== IVSRT_SEPARATE_COMPILATION (ivsrt/impl/src.hpp in a third file), with -fno-exceptions -fno-rtti"
  flags=$(pkg_flags ivsrt)
  printf '#include "ivsrt/impl/src.hpp"\n' > "$work/ivsrt_src.cpp"
  # shellcheck disable=SC2086
  ${CXX:-c++} -std=c++20 -DIVSRT_SEPARATE_COMPILATION -fno-exceptions -fno-rtti -Wall -Wextra -Werror \
    "$here/main.cpp" "$here/other.cpp" "$work/ivsrt_src.cpp" $flags -o "$work/separate-consumer"
  check "$work/separate-consumer"
}

second_half() {
  echo "== pkg-config, with -fno-exceptions -fno-rtti"
  flags=$(pkg_flags ivsrt)
  # shellcheck disable=SC2086
  ${CXX:-c++} -std=c++20 -fno-exceptions -fno-rtti -Wall -Wextra -Werror "$here/main.cpp" "$here/other.cpp" $flags -o "$work/pkgconfig-consumer"
  check "$work/pkgconfig-consumer"

  echo "== add_subdirectory"
  cmake -S "$here/add_subdirectory" -B "$work/add_subdirectory" -G Ninja -DIVSRT_SOURCE_DIR="$src" >/dev/null
  cmake --build "$work/add_subdirectory" >/dev/null
  check "$work/add_subdirectory/consumer"
  check "$work/add_subdirectory/consumer_compiled"

  if command -v meson >/dev/null 2>&1; then
    echo "== Meson subproject"
    mkdir -p "$work/meson/subprojects"
    cp "$here/meson/meson.build" "$work/meson/meson.build"
    sed -i "s|'../main.cpp', '../other.cpp'|'$here/main.cpp', '$here/other.cpp'|" "$work/meson/meson.build"
    ln -s "$src" "$work/meson/subprojects/ivsrt"
    meson setup "$work/meson/build" "$work/meson" >/dev/null
    ninja -C "$work/meson/build" >/dev/null
    check "$work/meson/build/consumer"
  fi
}

echo "== cmake --install"
# The prefix is given at install time, as README shows: the package and .pc files must follow it.
cmake -S "$src" -B "$work/lib" -G Ninja -DIVSRT_BUILD_TESTS=OFF -DIVSRT_BUILD_EXAMPLES=OFF >/dev/null
cmake --install "$work/lib" --prefix "$work/prefix" >/dev/null

# Started in the background, not tested with ||, so that set -e still stops each half.
(first_half) >"$work/first_half.log" 2>&1 &
first_pid=$!
(second_half) >"$work/second_half.log" 2>&1 &
second_pid=$!
status=0
wait "$first_pid" || status=1
wait "$second_pid" || status=1
cat "$work/first_half.log" "$work/second_half.log"
exit "$status"
