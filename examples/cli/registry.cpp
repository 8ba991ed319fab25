#include "registry.hpp"

#include <algorithm>
#include <utility>

namespace ivsrt_cli {

namespace {
template <std::size_t... Slice>
std::vector<command> all_slices(std::index_sequence<Slice...> /*unused*/) {
  std::vector<command> all;
  for (auto* part : {&command_slice<Slice>...}) {
    for (auto& c : part()) all.push_back(std::move(c));
  }
  std::sort(all.begin(), all.end(), [](const command& a, const command& b) { return a.name < b.name; });
  return all;
}
}  // namespace

const std::vector<command>& model_commands() {
  static const std::vector<command> all = all_slices(std::make_index_sequence<command_slices>{});
  return all;
}

const command* find_model_command(std::string_view name) {
  for (const command& c : model_commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace ivsrt_cli
