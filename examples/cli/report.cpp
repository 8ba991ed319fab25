#include "report.hpp"

#include <cstdio>
#include <string>

namespace ivsrt_cli {

int exit_code_for(const ivsrt::error& e) {
  switch (e.kind) {
    case ivsrt::error_kind::validation: return exit_usage;
    case ivsrt::error_kind::configuration:
    case ivsrt::error_kind::credentials: return exit_configuration;
    case ivsrt::error_kind::service: return exit_service;
    default: return exit_other;
  }
}

namespace {

std::string text_of(const ivsrt::error& e, std::string_view command, std::string_view operation) {
  using ivsrt::error_kind;
  const std::string op(operation);
  if (e.kind == error_kind::service) {
    return "An error occurred (" + e.code + ") when calling the " + op + " operation: " + e.message;
  }
  if (e.code == "InvalidCommandLine") {
    const std::string help =
        command.empty() ? "ivsrt-cli help" : "ivsrt-cli " + std::string(command) + " help";
    return "ivsrt-cli: error: " + e.message + "\nTo see help text, run: " + help;
  }
  if (e.code == "InvalidInput") return e.message;
  if (e.kind == error_kind::validation) {
    // The library lists every violated constraint, separated by "; ".
    std::string lines = e.message;
    for (std::size_t at = lines.find("; "); at != std::string::npos; at = lines.find("; ", at)) {
      lines.replace(at, 2, "\n");
    }
    return "Parameter validation failed:\n" + lines;
  }
  if (e.code == "NoRegion") {
    return "You must specify a region: use --region (" + e.message + ").";
  }
  if (e.code == "NoCredentials") {
    return "Unable to locate credentials. You can configure credentials with environment variables or a "
           "profile (--profile); " +
           e.message;
  }
  return "ivsrt-cli: error: " + (op.empty() ? std::string() : "calling " + op + ": ") + e.describe();
}

}  // namespace

int report(const ivsrt::error& e, std::string_view command, std::string_view operation) {
  const std::string text = text_of(e, command, operation);
  std::fprintf(stderr, "%s\n", text.c_str());
  return exit_code_for(e);
}

}  // namespace ivsrt_cli
