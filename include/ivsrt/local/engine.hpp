// The local service's engine: its state, its clock, its identifiers, its lock and its state file,
// plus the lookups and checks the handlers of every resource area share. The handlers themselves
// live in one header per area (stages.hpp, sessions.hpp, ...), as free functions
// `result<Output> handle(engine&, const Request&)`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/error.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/local/errors.hpp"
#include "ivsrt/local/ids.hpp"
#include "ivsrt/local/persistence.hpp"
#include "ivsrt/local/state.hpp"
#include "ivsrt/utf8.hpp"

namespace ivsrt::local {

// Service quotas; exceeding one is a ServiceQuotaExceededException (or, for joining and
// publishing, a QUOTA_EXCEEDED participant event). Lower them to test how an application copes.
struct quotas {
  std::int32_t stages = 1000;
  std::int32_t active_compositions = 100;  // compositions not yet STOPPED
  std::int32_t encoder_configurations = 100;
  std::int32_t storage_configurations = 100;
  std::int32_t ingest_configurations = 100;
  std::int32_t public_keys = 100;
  std::int32_t participants_per_stage = 1000;  // connected at the same time
  std::int32_t publishers_per_stage = 12;      // publishing at the same time
};

struct engine_options {
  std::string region = "us-east-1";
  std::string account = "123456789012";
  quotas limits{};
  // How long a composition stays STARTING before it is ACTIVE, and STOPPING before it is STOPPED.
  std::chrono::milliseconds composition_transition{500};
  // A composition stops by itself once its stage has had no participant for this long.
  std::chrono::seconds idle_composition_timeout{60};
  // STOPPED compositions are deleted this long after they stopped.
  std::chrono::seconds stopped_composition_retention{600};
  // Seed for identifiers and fault probabilities; 0 picks a random one.
  std::uint64_t seed = 0;
};

class engine {
 public:
  explicit engine(engine_options options)
      : opts_(std::move(options)), ids_(opts_.seed != 0 ? opts_.seed : std::random_device{}()) {
    state_.region = opts_.region;
    state_.account = opts_.account;
  }

  [[nodiscard]] const engine_options& options() const noexcept { return opts_; }
  [[nodiscard]] service_state& state() noexcept { return state_; }
  [[nodiscard]] std::mutex& mutex() noexcept { return mutex_; }
  id_source& ids() noexcept { return ids_; }

  // The service's clock: the system clock plus whatever a test advanced it by, in milliseconds
  // (the precision of the service's timestamps).
  [[nodiscard]] timestamp now() const {
    const auto t = std::chrono::system_clock::now() + std::chrono::milliseconds(offset_ms_.load());
    return std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::floor<std::chrono::milliseconds>(t));
  }
  void advance_clock(std::chrono::milliseconds by) { offset_ms_ += by.count(); }

  std::int64_t next_seq() { return ++state_.sequence; }
  std::string new_arn(std::string_view kind) {
    return make_arn(opts_.region, opts_.account, kind, ids_.resource_id());
  }

  // Takes over a state file: loads what it holds (an empty state when it does not exist yet),
  // and saves every change from now on.
  result<void> attach(state_file file) {
    auto loaded = load_state(file);
    if (!loaded) return loaded.error();
    if (loaded->sequence != 0 && (loaded->region != opts_.region || loaded->account != opts_.account)) {
      return make_error(error_kind::configuration, "StateFileMismatch",
                        "the state file " + file.path() + " belongs to account " + loaded->account + " in " +
                            loaded->region + ", not to account " + opts_.account + " in " + opts_.region);
    }
    state_ = std::move(*loaded);
    state_.region = opts_.region;
    state_.account = opts_.account;
    file_ = std::make_unique<state_file>(std::move(file));
    return save();
  }

  // Writes the state to the state file, if there is one. Called with the lock held.
  result<void> save() {
    if (!file_) return {};
    return file_->write(serialize_state(state_));
  }

  // Puts back the last saved state after a save failed, so memory never holds a change the
  // client was told failed. Called with the lock held.
  void restore() {
    if (!file_) return;
    auto loaded = load_state(*file_);
    if (loaded) state_ = std::move(*loaded);
  }

  [[nodiscard]] const state_file* file() const noexcept { return file_.get(); }

 private:
  engine_options opts_;
  service_state state_;
  id_source ids_;
  std::mutex mutex_;
  std::atomic<std::int64_t> offset_ms_{0};
  std::unique_ptr<state_file> file_;
};

// ---- Checks and lookups shared by the handlers ----

// The parts of an ARN of the given kind; a ValidationException for text that is not one.
inline result<arn_parts> check_arn(std::string_view arn, std::string_view kind, std::string_view member) {
  auto parts = parse_arn(arn);
  if (!parts || parts->kind != kind) {
    return validation_error(std::string(member) + ": \"" + std::string(arn) + "\" is not a valid " +
                            std::string(kind) + " ARN");
  }
  return *parts;
}

// The record an ARN names in one of the state's maps; ResourceNotFoundException when there is none
// (including ARNs of another region or account, which this service cannot hold).
template <class Map>
result<typename Map::mapped_type*> find_resource(Map& map, std::string_view arn, std::string_view kind,
                                                 std::string_view member) {
  auto parts = check_arn(arn, kind, member);
  if (!parts) return parts.error();
  auto it = map.find(std::string(arn));
  if (it == map.end()) return not_found(arn);
  return &it->second;
}

inline result<stage_record*> find_stage(engine& e, std::string_view arn,
                                        std::string_view member = "stageArn") {
  return find_resource(e.state().stages, arn, "stage", member);
}

// Names of most resources: letters, digits, '-' and '_' (the model's [a-zA-Z0-9-_]* pattern).
inline result<void> check_name(const optional<std::string>& name, std::string_view member) {
  if (!name) return {};
  for (char c : *name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return validation_error(std::string(member) + ": \"" + *name +
                              "\" may contain only letters, digits, '-' and '_'");
    }
  }
  return {};
}

// Participant attributes may hold at most 1 KB in all (keys and values).
inline result<void> check_attributes(const optional<std::map<std::string, std::string>>& attributes,
                                     std::string_view member) {
  if (!attributes) return {};
  std::size_t total = 0;
  for (const auto& [k, v] : *attributes) total += k.size() + v.size();
  if (total > 1024) {
    return validation_error(std::string(member) + ": " + std::to_string(total) +
                            " bytes in all, more than the maximum of 1 KB");
  }
  return {};
}

// Tag keys beginning with "aws:" are reserved for AWS.
inline result<void> check_tags(const optional<Tags>& tags, std::string_view member = "tags") {
  if (!tags) return {};
  for (const auto& [key, value] : *tags) {
    if (key.rfind("aws:", 0) == 0) {
      return validation_error(std::string(member) + ": tag keys beginning with \"aws:\" are reserved");
    }
  }
  return {};
}

inline result<void> check_quota(std::size_t in_use, std::int32_t limit, std::string_view what) {
  if (in_use >= static_cast<std::size_t>(limit)) {
    return quota_exceeded("the quota of " + std::to_string(limit) + " " + std::string(what) +
                          " has been reached");
  }
  return {};
}

// Whether two values have the same JSON form (how configurations are compared).
template <class T>
bool same_json(const T& a, const T& b) {
  auto x = json::to_json(a);
  auto y = json::to_json(b);
  return x.ok() && y.ok() && *x == *y;
}

// Resources always show their tags, {} when there are none.
inline optional<Tags> tags_or_empty(const optional<Tags>& tags) {
  return tags.has_value() ? tags : optional<Tags>(Tags{});
}

}  // namespace ivsrt::local
