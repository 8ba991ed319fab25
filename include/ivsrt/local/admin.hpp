// The admin endpoints under /_local/ (listed with their bodies in admin_messages.hpp), for test
// harnesses that drive a standalone ivsrt-local: make participants join, publish, subscribe and
// leave, start and stop RTMP ingest, inject faults and move the service's clock. They are not
// signed, and can be switched off (service_options::admin_endpoints).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "ivsrt/local/admin_messages.hpp"
#include "ivsrt/local/dispatch.hpp"
#include "ivsrt/local/faults.hpp"
#include "ivsrt/local/ingest_configurations.hpp"
#include "ivsrt/local/sessions.hpp"
#include "ivsrt/local/wire.hpp"

namespace ivsrt::local {

namespace detail {

template <class Body, class F>
outgoing admin_call(const incoming& in, F&& fn) {
  auto body = read_body<Body>(in.body);
  if (!body) return error_response(body.error());
  auto out = fn(*body);
  if (!out) return error_response(out.error());
  return write_response(*out);
}

inline result<fault> to_fault(const admin::fault_request& r) {
  auto kind = parse_fault_kind(r.kind);
  if (!kind) return validation_error("kind: must be error, throttle, latency, drop or drop_response");
  fault f;
  f.operation = r.operation.value_or("*");
  f.kind = *kind;
  f.probability = r.probability.value_or(1.0);
  f.times = r.times.value_or(-1);
  f.latency = std::chrono::milliseconds(r.latencyMs.value_or(0));
  if (r.status) f.status = *r.status;
  if (r.code) f.code = *r.code;
  if (r.message) f.message = *r.message;
  if (f.probability < 0 || f.probability > 1) return validation_error("probability: must be 0..1");
  if (f.kind == fault_kind::error && (f.status < 400 || f.status > 599))
    return validation_error("status: must be 400..599");
  return f;
}

}  // namespace detail

// Answers a request whose path starts with admin_prefix.
inline outgoing handle_admin(engine& e, fault_injector& faults, const incoming& in) {
  const std::string_view what = std::string_view(in.path).substr(admin_prefix.size());
  auto mutate = [&](auto fn) { return transact(e, true, fn); };
  using namespace admin;
  if (in.method == "GET" && what == "health") {
    return write_response(
        health{.status = "ok", .region = e.options().region, .account = e.options().account});
  }
  if (in.method == "POST" && what == "join") {
    return detail::admin_call<join_request>(in, [&](const join_request& r) {
      const client_details client{r.ispName,     r.osName,         r.osVersion,
                                  r.browserName, r.browserVersion, r.sdkVersion};
      return mutate([&] { return join_stage(e, r.stageArn, r.token.reveal(), client); });
    });
  }
  if (in.method == "POST" && (what == "publish" || what == "unpublish" || what == "leave")) {
    return detail::admin_call<participant_request>(in, [&](const participant_request& r) {
      return mutate([&]() -> result<admin::empty> {
        auto done = what == "publish"     ? publish(e, r.stageArn, r.participantId)
                    : what == "unpublish" ? unpublish(e, r.stageArn, r.participantId)
                                          : leave(e, r.stageArn, r.participantId);
        if (!done) return done.error();
        return admin::empty{};
      });
    });
  }
  if (in.method == "POST" && what == "subscribe") {
    return detail::admin_call<subscribe_request>(in, [&](const subscribe_request& r) {
      return mutate([&]() -> result<admin::empty> {
        auto done = subscribe(e, r.stageArn, r.participantId, r.publisherId);
        if (!done) return done.error();
        return admin::empty{};
      });
    });
  }
  if (in.method == "POST" && what == "ingest/start") {
    return detail::admin_call<ingest_request>(in, [&](const ingest_request& r) {
      return mutate([&] { return start_ingest(e, r.streamKey.reveal()); });
    });
  }
  if (in.method == "POST" && what == "ingest/stop") {
    return detail::admin_call<ingest_request>(in, [&](const ingest_request& r) {
      return mutate([&]() -> result<admin::empty> {
        auto stopped = stop_ingest(e, r.streamKey.reveal());
        if (!stopped) return stopped.error();
        return admin::empty{};
      });
    });
  }
  if (what == "faults" && in.method == "POST") {
    return detail::admin_call<fault_request>(in, [&](const fault_request& r) -> result<fault_added> {
      auto f = detail::to_fault(r);
      if (!f) return f.error();
      return fault_added{.id = faults.add(std::move(*f))};
    });
  }
  if (what == "faults" && in.method == "DELETE") {
    faults.clear();
    return write_response(admin::empty{});
  }
  if (in.method == "POST" && what == "clock") {
    return detail::admin_call<clock_request>(in, [&](const clock_request& r) -> result<clock_now> {
      if (r.advanceSeconds < 0) return validation_error("advanceSeconds: the clock only moves forward");
      e.advance_clock(std::chrono::seconds(r.advanceSeconds));
      return clock_now{.now = e.now()};
    });
  }
  return error_response(
      api_error(404, "UnknownOperationException", "no admin endpoint " + in.method + " " + in.path));
}

}  // namespace ivsrt::local
