#!/bin/sh
# Compile-time and size budget of ivsrt, as ratios measured in one run:
#   baseline    a translation unit that includes only <curl/curl.h> and <simdjson.h>
#   one-call    includes ivsrt/client.hpp and ivsrt/model/stage.hpp, creates a client, sends GetStage
#   umbrella    the same call through ivsrt/ivsrt.hpp
# each header-only (the default), with IVSRT_SEPARATE_COMPILATION (plus the one-off cost of the
# translation unit that includes ivsrt/impl/src.hpp), and header-only through a precompiled
# header; then the stripped size of the quickstart example (at -O2 header-only and separately
# compiled, and header-only at -Os), linked against the shared system libraries, and of the
# ivsrt-local program the quickstart starts. Every figure is
# the median over RUNS interleaved runs of the compiler's CPU time (user + system), which other
# work on a shared machine disturbs less than wall time.
#
#   bench/compile_time.sh [RUNS]        (default 5; CXX picks the compiler, default c++)
#
# The last line of the output is one JSON object holding every figure.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
cxx=${CXX:-c++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deps=$(pkg-config --cflags libcurl simdjson libcrypto cpp-httplib 2>/dev/null || true)
libs=$(pkg-config --libs libcurl simdjson libcrypto 2>/dev/null || echo "-lcurl -lsimdjson -lcrypto")
libs="$libs -pthread"
# The local service also serves HTTP (cpp-httplib) and HTTPS (libssl).
local_libs=$(pkg-config --libs cpp-httplib libssl 2>/dev/null || echo "-lcpp-httplib -lssl")
flags="-std=c++20 -O2 -I$src/include $deps"

cat >"$work/baseline.cpp" <<'EOF'
#include <curl/curl.h>
#include <simdjson.h>
int main() { return curl_version() != nullptr && simdjson::SIMDJSON_PADDING > 0 ? 0 : 1; }
EOF
call_body='int main() {
  auto c = ivsrt::client::create({.region = "us-west-2", .endpoint_url = "http://127.0.0.1:1",
                                  .credentials = ivsrt::credentials{.access_key_id = "AKID", .secret_access_key = "s"}});
  if (!c) return 1;
  auto r = c->send(ivsrt::GetStageRequest{.arn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh"});
  return r ? 0 : 2;
}'
printf '#include "ivsrt/client.hpp"\n#include "ivsrt/model/stage.hpp"\n%s\n' "$call_body" >"$work/one_call.cpp"
printf '#include "ivsrt/ivsrt.hpp"\n%s\n' "$call_body" >"$work/umbrella.cpp"
printf '#include "ivsrt/impl/src.hpp"\n' >"$work/ivsrt_src.cpp"
printf '#include "ivsrt/client.hpp"\n#include "ivsrt/model/stage.hpp"\n' >"$work/pch.hpp"

# The precompiled header, built once (its cost is reported, not part of the per-TU figure).
if "$cxx" --version | grep -q clang; then
  pch_use="-include-pch $work/pch.hpp.pch"
  pch_out="$work/pch.hpp.pch"
else
  pch_use="-include $work/pch.hpp -Winvalid-pch"
  pch_out="$work/pch.hpp.gch"
fi

# cpu_seconds NAME EXTRA_FLAGS FILE: compiles FILE once and appends "NAME cpu wall" to times.
cpu_seconds() {
  name=$1
  extra=$2
  file=$3
  # shellcheck disable=SC2086
  /usr/bin/time -f "$name %U %S %e" -a -o "$work/times.raw" "$cxx" $flags $extra -c "$file" -o "$work/out.o"
}

# shellcheck disable=SC2086
/usr/bin/time -f "pch_build %U %S %e" -a -o "$work/times.raw" "$cxx" $flags -x c++-header "$work/pch.hpp" -o "$pch_out"
i=0
while [ "$i" -lt "$runs" ]; do
  cpu_seconds baseline "" "$work/baseline.cpp"
  cpu_seconds one_call "" "$work/one_call.cpp"
  cpu_seconds umbrella "" "$work/umbrella.cpp"
  cpu_seconds one_call_separate "-DIVSRT_SEPARATE_COMPILATION" "$work/one_call.cpp"
  cpu_seconds umbrella_separate "-DIVSRT_SEPARATE_COMPILATION" "$work/umbrella.cpp"
  cpu_seconds one_call_pch "$pch_use" "$work/one_call.cpp"
  i=$((i + 1))
done
cpu_seconds separate_src "-DIVSRT_SEPARATE_COMPILATION" "$work/ivsrt_src.cpp"

# median NAME FIELD: the median of column FIELD (cpu = user + system, or wall) for NAME.
median() {
  awk -v n="$1" -v f="$2" '$1 == n { v[++c] = (f == "cpu") ? $2 + $3 : $4 }
    END { for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
          if (c == 0) print 0; else if (c % 2) print v[(c + 1) / 2]; else print (v[c / 2] + v[c / 2 + 1]) / 2 }' "$work/times.raw"
}

base=$(median baseline cpu)
json="{\"compiler\":\"$("$cxx" --version | head -1)\",\"runs\":$runs"
echo "Compile time, -O2, $("$cxx" --version | head -1), median of $runs runs (CPU seconds; ratio to the baseline)"
for name in baseline one_call umbrella one_call_separate umbrella_separate one_call_pch separate_src pch_build; do
  cpu=$(median "$name" cpu)
  wall=$(median "$name" wall)
  ratio=$(awk -v a="$cpu" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
  printf '  %-20s %6.2f s CPU  %6.2f s wall  %5sx\n' "$name" "$cpu" "$wall" "$ratio"
  json="$json,\"${name}_cpu_s\":$cpu,\"${name}_ratio\":$ratio"
done
echo "  (separate_src and pch_build are one-off costs per program, not per translation unit)"

# The quickstart example, stripped: header-only at -O2; separately compiled at -O2; and
# header-only optimised for size. The separately compiled one holds every operation's code
# (ivsrt/impl/src.hpp instantiates them all), so it is linked with section garbage collection,
# which drops the operations the program never calls; so is the one optimised for size. The
# local service it runs against is a program of its own (ivsrt-local), measured last.
gc="-ffunction-sections -fdata-sections -Wl,--gc-sections"
quickstart="$src/examples/quickstart/main.cpp $src/examples/quickstart/local_service_process.cpp"
# shellcheck disable=SC2086
"$cxx" $flags $quickstart -o "$work/quickstart" $libs
# shellcheck disable=SC2086
"$cxx" $flags -DIVSRT_SEPARATE_COMPILATION $gc $quickstart "$work/ivsrt_src.cpp" -o "$work/quickstart_separate" $libs
# shellcheck disable=SC2086
"$cxx" $flags -Os $gc $quickstart -o "$work/quickstart_small" $libs
# shellcheck disable=SC2086
"$cxx" $flags "$src/examples/local/main.cpp" -o "$work/ivsrt-local" $libs $local_libs
strip "$work/quickstart" "$work/quickstart_separate" "$work/quickstart_small" "$work/ivsrt-local"
size=$(wc -c <"$work/quickstart")
size_sep=$(wc -c <"$work/quickstart_separate")
size_small=$(wc -c <"$work/quickstart_small")
size_local=$(wc -c <"$work/ivsrt-local")
echo "quickstart, stripped (target < 1048576 bytes):"
echo "  -O2 header-only                         $size bytes"
echo "  -O2 separately compiled, --gc-sections  $size_sep bytes"
echo "  -Os header-only, --gc-sections          $size_small bytes"
echo "ivsrt-local (the local service the quickstart starts), stripped:"
echo "  -O2 header-only                         $size_local bytes"
json="$json,\"quickstart_stripped_bytes\":$size,\"quickstart_separate_stripped_bytes\":$size_sep"
json="$json,\"quickstart_small_stripped_bytes\":$size_small,\"local_service_stripped_bytes\":$size_local}"
echo "$json"
