// The ivsrt quickstart: a realistic IVS real-time session from start to finish. It creates a stage
// with participant tokens, mints another token, lists stages page by page, tags the stage, lets
// participants join and lists them, records the stage with a composition, and cleans up.
//
// By default it starts the local service (the ivsrt-local program next to it) on a loopback port
// and runs against that, so it needs no network and no AWS account:
//   quickstart
// Against real AWS (credentials and region from the environment, as the AWS SDKs read them):
//   quickstart --aws [--bucket S3_BUCKET | --channel-arn IVS_CHANNEL_ARN]
// Against another endpoint, such as a running ivsrt-local (credentials from the environment):
//   quickstart --endpoint http://127.0.0.1:4566 [--region us-east-1]
//
// Exits with status 0 when every step succeeded, 1 when one failed, 2 on a usage error.
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ivsrt/client.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/modeled_error.hpp"
#include "local_service_process.hpp"

namespace {

using namespace ivsrt;
using ivsrt_quickstart::local_service_process;

struct run_options {
  enum class target { local, aws, endpoint } where = target::local;
  std::string endpoint{};
  std::string region{};
  std::string bucket{};
  std::string channel_arn{};
};

// Prints what failed; the caller stops there.
template <class T>
std::optional<T> checked(result<T> r, std::string_view what) {
  if (r) return std::move(*r);
  std::cout << "  ! " << what << " failed: " << r.error().describe() << "\n";
  return std::nullopt;
}

bool checked(result<void> r, std::string_view what) {
  if (r) return true;
  std::cout << "  ! " << what << " failed: " << r.error().describe() << "\n";
  return false;
}

std::string time_text(const optional<timestamp>& t) {
  return t ? format_timestamp(*t) : std::string("-");
}

std::string capabilities_text(const optional<ParticipantTokenCapabilities>& caps) {
  std::string out;
  if (!caps) return out;
  for (const auto& c : *caps) out += (out.empty() ? "" : ", ") + std::string(c.str());
  return out;
}

std::string tags_text(const Tags& tags) {
  std::string out;
  for (const auto& [k, v] : tags) out += (out.empty() ? "" : ", ") + k + "=" + v;
  return "{" + out + "}";
}

// Adapts an operation's result to result<void> for the clean-up list.
template <class T>
result<void> as_void(result<T> r) {
  if (!r) return r.error();
  return {};
}

void heading(int n, std::string_view title) {
  std::cout << "\n" << n << ". " << title << "\n";
}

class quickstart {
 public:
  quickstart(client c, local_service_process* local, run_options s)
      : c_(std::move(c)), local_(local), s_(std::move(s)) {}

  // Runs every step, then the clean-up (also after a failed step). True when all succeeded.
  bool run() {
    const bool steps =
        create_stage() && mint_token() && list_stages() && tag_stage() && participants() && compose();
    const bool cleaned = clean_up();
    return steps && cleaned;
  }

 private:
  bool create_stage() {
    heading(1, "Create a stage with two participant token configurations");
    auto created = checked(
        c_.send(CreateStageRequest{
            .name = "ivsrt-quickstart",
            .participantTokenConfigurations = {{.duration = 120,
                                                .userId = "host",
                                                .attributes = {{"role", "host"}},
                                                .capabilities = {ParticipantTokenCapability::PUBLISH,
                                                                 ParticipantTokenCapability::SUBSCRIBE}},
                                               {.duration = 120,
                                                .userId = "guest",
                                                .capabilities = {ParticipantTokenCapability::SUBSCRIBE}}},
            .tags = {{"project", "ivsrt-quickstart"}}}),
        "CreateStage");
    if (!created) return false;
    stage_arn_ = created->stage->arn;
    cleanups_.emplace_back("DeleteStage " + stage_arn_,
                           [this] { return as_void(c_.send(DeleteStageRequest{.arn = stage_arn_})); });
    std::cout << "  stage      " << stage_arn_ << "\n";
    if (created->stage->endpoints) {
      std::cout << "  endpoints  whip " << created->stage->endpoints->whip.value_or("-") << "\n"
                << "             events " << created->stage->endpoints->events.value_or("-") << "\n";
    }
    for (const auto& t : *created->participantTokens) print_token(t);
    tokens_ = *created->participantTokens;
    return true;
  }

  static void print_token(const ParticipantToken& t) {
    std::cout << "  token for \"" << t.userId.value_or("") << "\": participant "
              << t.participantId.value_or("") << " (" << capabilities_text(t.capabilities) << "), expires "
              << time_text(t.expirationTime) << "; " << (t.token ? t.token->size() : 0)
              << " characters, kept secret\n";
  }

  bool mint_token() {
    heading(2, "Mint another token with CreateParticipantToken");
    auto minted = checked(
        c_.send(CreateParticipantTokenRequest{.stageArn = stage_arn_,
                                              .duration = 60,
                                              .userId = "late-guest",
                                              .capabilities = {ParticipantTokenCapability::SUBSCRIBE}}),
        "CreateParticipantToken");
    if (!minted) return false;
    print_token(*minted->participantToken);
    return true;
  }

  bool list_stages() {
    heading(3, "List stages with the paginator, two per page");
    int n = 0;
    for (auto& item : c_.paginate(ListStagesRequest{.maxResults = 2}).items()) {
      if (!item) return checked(result<void>(item.error()), "ListStages");
      std::cout << "  - " << item->arn << " \"" << item->name.value_or("") << "\""
                << (item->arn == stage_arn_ ? "  <- ours" : "") << "\n";
      ++n;
    }
    std::cout << "  " << n << " stage(s) in " << c_.region() << "\n";
    return true;
  }

  bool tag_stage() {
    heading(4, "Tag and untag the stage");
    if (!checked(c_.send(TagResourceRequest{.resourceArn = stage_arn_,
                                            .tags = {{"env", "demo"}, {"owner", "me"}}}),
                 "TagResource")) {
      return false;
    }
    auto tags =
        checked(c_.send(ListTagsForResourceRequest{.resourceArn = stage_arn_}), "ListTagsForResource");
    if (!tags) return false;
    std::cout << "  after TagResource:   " << tags_text(tags->tags) << "\n";
    if (!checked(c_.send(UntagResourceRequest{.resourceArn = stage_arn_, .tagKeys = {"owner"}}),
                 "UntagResource")) {
      return false;
    }
    tags = checked(c_.send(ListTagsForResourceRequest{.resourceArn = stage_arn_}), "ListTagsForResource");
    if (!tags) return false;
    std::cout << "  after UntagResource: " << tags_text(tags->tags) << "\n";
    return true;
  }

  bool participants() {
    heading(5, "Participants join, then list sessions, participants and events");
    if (local_ == nullptr) {
      std::cout << "  (on AWS, participants join from the IVS broadcast SDKs with their tokens; this\n"
                   "   program does not stream media, so the lists below show whoever joined)\n";
    } else {
      auto host = checked(local_->join(stage_arn_, *tokens_.at(0).token, "Linux"), "join (host)");
      if (!host || !checked(local_->publish(stage_arn_, host->participantId), "publish (host)")) return false;
      auto guest = checked(local_->join(stage_arn_, *tokens_.at(1).token, "Android"), "join (guest)");
      if (!guest ||
          !checked(local_->subscribe(stage_arn_, guest->participantId, host->participantId), "subscribe")) {
        return false;
      }
      std::cout << "  host joined and publishes; guest joined and subscribes to the host\n";
    }
    auto sessions = checked(c_.send(ListStageSessionsRequest{.stageArn = stage_arn_}), "ListStageSessions");
    if (!sessions) return false;
    std::cout << "  " << sessions->stageSessions.size() << " session(s)\n";
    for (const auto& s : sessions->stageSessions) {
      std::cout << "  session " << s.sessionId.value_or("") << " started " << time_text(s.startTime)
                << (s.endTime ? ", ended " + time_text(s.endTime) : std::string(", active")) << "\n";
      auto people =
          checked(c_.send(ListParticipantsRequest{.stageArn = stage_arn_, .sessionId = *s.sessionId}),
                  "ListParticipants");
      if (!people) return false;
      for (const auto& p : people->participants) {
        std::cout << "    participant " << p.participantId.value_or("") << " \"" << p.userId.value_or("")
                  << "\" " << (p.state ? p.state->str() : "")
                  << (p.published.value_or(false) ? ", published" : "") << "\n";
        auto events = checked(
            c_.send(ListParticipantEventsRequest{
                .stageArn = stage_arn_, .sessionId = *s.sessionId, .participantId = *p.participantId}),
            "ListParticipantEvents");
        if (!events) return false;
        std::string names;
        for (const auto& e : events->events)
          names += (names.empty() ? "" : ", ") + std::string(e.name ? e.name->str() : "");
        std::cout << "      events: " << names << "\n";
      }
    }
    return true;
  }

  bool compose() {
    heading(6, "Record the stage with a server-side composition");
    if (local_ == nullptr && s_.bucket.empty() && s_.channel_arn.empty()) {
      std::cout
          << "  (skipped: on AWS a composition needs --bucket S3_BUCKET or --channel-arn IVS_CHANNEL_ARN)\n";
      return true;
    }
    auto encoder =
        checked(c_.send(CreateEncoderConfigurationRequest{
                    .name = "quickstart-720p",
                    .video = Video{.width = 1280, .height = 720, .framerate = 30.0F, .bitrate = 2500000}}),
                "CreateEncoderConfiguration");
    if (!encoder) return false;
    const std::string encoder_arn = encoder->encoderConfiguration->arn;
    cleanups_.emplace_back("DeleteEncoderConfiguration " + encoder_arn, [this, encoder_arn] {
      return as_void(c_.send(DeleteEncoderConfigurationRequest{.arn = encoder_arn}));
    });
    std::cout << "  encoder configuration " << encoder_arn << " (1280x720, 30 fps, 2500 kbps)\n";

    DestinationConfiguration destination;
    if (!s_.channel_arn.empty()) {
      destination.channel = ChannelDestinationConfiguration{.channelArn = s_.channel_arn,
                                                            .encoderConfigurationArn = encoder_arn};
      std::cout << "  destination: IVS channel " << s_.channel_arn << "\n";
    } else {
      const std::string bucket = s_.bucket.empty() ? "ivsrt-quickstart-recordings" : s_.bucket;
      auto storage =
          checked(c_.send(CreateStorageConfigurationRequest{
                      .name = "quickstart-recordings", .s3 = S3StorageConfiguration{.bucketName = bucket}}),
                  "CreateStorageConfiguration");
      if (!storage) return false;
      const std::string storage_arn = storage->storageConfiguration->arn;
      cleanups_.emplace_back("DeleteStorageConfiguration " + storage_arn, [this, storage_arn] {
        return as_void(c_.send(DeleteStorageConfigurationRequest{.arn = storage_arn}));
      });
      std::cout << "  storage configuration " << storage_arn << " (bucket " << bucket << ")\n";
      destination.s3 = S3DestinationConfiguration{.storageConfigurationArn = storage_arn,
                                                  .encoderConfigurationArns = {encoder_arn}};
    }
    auto started = checked(c_.send(StartCompositionRequest{.stageArn = stage_arn_,
                                                           .destinations = {destination},
                                                           .tags = {{"project", "ivsrt-quickstart"}}}),
                           "StartComposition");
    if (!started) return false;
    composition_arn_ = started->composition->arn;
    std::cout << "  composition " << composition_arn_ << " is " << started->composition->state.str() << "\n";
    if (!wait_for(CompositionState::ACTIVE)) return false;
    if (!checked(c_.send(StopCompositionRequest{.arn = composition_arn_}), "StopComposition")) return false;
    std::cout << "  StopComposition sent\n";
    const bool stopped = wait_for(CompositionState::STOPPED);
    composition_arn_.clear();
    return stopped;
  }

  // Polls the composition until it reaches `target`, printing each state it passes through.
  bool wait_for(CompositionState target) {
    const auto limit = std::chrono::seconds(local_ != nullptr ? 15 : 180);
    const auto start = std::chrono::steady_clock::now();
    std::string last;
    while (std::chrono::steady_clock::now() - start < limit) {
      auto got = checked(c_.send(GetCompositionRequest{.arn = composition_arn_}), "GetComposition");
      if (!got) return false;
      const std::string state(got->composition->state.str());
      if (state != last) {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                .count();
        std::cout << "  ... " << state << " (after " << ms << " ms)\n";
        last = state;
      }
      if (got->composition->state == target) return true;
      if (got->composition->state == CompositionState::FAILED) {
        std::cout << "  ! the composition FAILED\n";
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(local_ != nullptr ? 100 : 2000));
    }
    std::cout << "  ! the composition did not become " << to_string(target) << " in time\n";
    return false;
  }

  bool clean_up() {
    heading(7, "Clean up");
    bool ok = true;
    if (!composition_arn_.empty()) {
      ok = checked(c_.send(StopCompositionRequest{.arn = composition_arn_}), "StopComposition") &&
           wait_for(CompositionState::STOPPED);
    }
    for (auto it = cleanups_.rbegin(); it != cleanups_.rend(); ++it) {
      auto done = it->second();
      if (done) {
        std::cout << "  " << it->first << "\n";
      } else {
        std::cout << "  ! " << it->first << " failed: " << done.error().describe() << "\n";
        ok = false;
      }
    }
    // The service reports the deleted stage with one of the model's error types.
    if (!stage_arn_.empty()) {
      auto gone = c_.send(GetStageRequest{.arn = stage_arn_});
      if (gone) {
        std::cout << "  GetStage still finds the stage (deleting can take a moment)\n";
      } else if (const auto missing = modeled_error<ResourceNotFoundException>(gone.error())) {
        std::cout << "  GetStage: ResourceNotFoundException: " << missing->exceptionMessage.value_or("")
                  << "\n";
      } else {
        std::cout << "  GetStage: " << gone.error().describe() << "\n";
      }
    }
    return ok;
  }

  client c_;
  local_service_process* local_;
  run_options s_;
  std::string stage_arn_;
  std::string composition_arn_;
  ParticipantTokenList tokens_;
  std::vector<std::pair<std::string, std::function<result<void>()>>> cleanups_;
};

}  // namespace

int main(int argc, char** argv) {
  run_options s;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = std::string(args[++i]);
      return true;
    };
    if (args[i] == "--aws") {
      s.where = run_options::target::aws;
    } else if (args[i] == "--endpoint" && value(s.endpoint)) {
      s.where = run_options::target::endpoint;
    } else if (args[i] == "--region" && value(s.region)) {
    } else if (args[i] == "--bucket" && value(s.bucket)) {
    } else if (args[i] == "--channel-arn" && value(s.channel_arn)) {
    } else {
      std::cerr << "usage: quickstart [--aws | --endpoint URL] [--region REGION] [--bucket S3_BUCKET | "
                   "--channel-arn ARN]\n"
                   "  default: start the local IVS real-time service (ivsrt-local) and run against it\n";
      return 2;
    }
  }

  std::unique_ptr<local_service_process> local;
  client_options options;
  if (s.where == run_options::target::local) {
    auto started = local_service_process::start(local_service_process::default_program());
    if (!started) {
      std::cerr << "quickstart: " << started.error().describe() << "\n";
      return 1;
    }
    local = std::move(*started);
    options = local->client_options();
    std::cout << "ivsrt quickstart against the local IVS real-time service at " << local->endpoint_url()
              << " (ivsrt-local; no AWS account is used)\n";
  } else {
    options.region = s.region;
    options.endpoint_url = s.endpoint;
    std::cout << "ivsrt quickstart against "
              << (s.where == run_options::target::aws ? std::string("Amazon IVS real-time (your AWS account)")
                                                      : s.endpoint)
              << "\n";
  }
  auto c = client::create(std::move(options));
  if (!c) {
    std::cerr << "quickstart: " << c.error().describe() << "\n";
    return 1;
  }
  quickstart q(std::move(*c), local.get(), s);
  const bool ok = q.run();
  std::cout << "\n" << (ok ? "Done: every step succeeded." : "Stopped: a step failed (see above).") << "\n";
  return ok ? 0 : 1;
}
