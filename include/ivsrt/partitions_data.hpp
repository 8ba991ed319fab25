// AWS partitions: groups of regions sharing DNS suffixes and capabilities.
// Generated from partitions.json (version 1.1) by cmake/generate_endpoints.py;
// do not edit. partition.hpp looks regions up in these tables.
#pragma once

#include <cstddef>
#include <string_view>

namespace ivsrt::endpoints {

// What the rule-set function aws.partition returns for a region.
struct partition {
  std::string_view name{};  // "aws", "aws-cn", "aws-us-gov", ...
  std::string_view dns_suffix{};
  std::string_view dual_stack_dns_suffix{};
  std::string_view implicit_global_region{};
  bool supports_fips = false;
  bool supports_dual_stack = false;
  std::string_view region_regex{};  // regions of this partition that are not listed by name
};

struct known_region {
  std::string_view name{};
  std::size_t partition{};  // index into partitions
};

inline constexpr partition partitions[] = {
    {.name = "aws",
     .dns_suffix = "amazonaws.com",
     .dual_stack_dns_suffix = "api.aws",
     .implicit_global_region = "us-east-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$"},
    {.name = "aws-cn",
     .dns_suffix = "amazonaws.com.cn",
     .dual_stack_dns_suffix = "api.amazonwebservices.com.cn",
     .implicit_global_region = "cn-northwest-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^cn\\-\\w+\\-\\d+$"},
    {.name = "aws-eusc",
     .dns_suffix = "amazonaws.eu",
     .dual_stack_dns_suffix = "api.amazonwebservices.eu",
     .implicit_global_region = "eusc-de-east-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^eusc\\-(de)\\-\\w+\\-\\d+$"},
    {.name = "aws-iso",
     .dns_suffix = "c2s.ic.gov",
     .dual_stack_dns_suffix = "api.aws.ic.gov",
     .implicit_global_region = "us-iso-east-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^us\\-iso\\-\\w+\\-\\d+$"},
    {.name = "aws-iso-b",
     .dns_suffix = "sc2s.sgov.gov",
     .dual_stack_dns_suffix = "api.aws.scloud",
     .implicit_global_region = "us-isob-east-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^us\\-isob\\-\\w+\\-\\d+$"},
    {.name = "aws-iso-e",
     .dns_suffix = "cloud.adc-e.uk",
     .dual_stack_dns_suffix = "api.cloud-aws.adc-e.uk",
     .implicit_global_region = "eu-isoe-west-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^eu\\-isoe\\-\\w+\\-\\d+$"},
    {.name = "aws-iso-f",
     .dns_suffix = "csp.hci.ic.gov",
     .dual_stack_dns_suffix = "api.aws.hci.ic.gov",
     .implicit_global_region = "us-isof-south-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^us\\-isof\\-\\w+\\-\\d+$"},
    {.name = "aws-us-gov",
     .dns_suffix = "amazonaws.com",
     .dual_stack_dns_suffix = "api.aws",
     .implicit_global_region = "us-gov-west-1",
     .supports_fips = true,
     .supports_dual_stack = true,
     .region_regex = "^us\\-gov\\-\\w+\\-\\d+$"},
};

inline constexpr known_region known_regions[] = {
    {"af-south-1", 0},     {"ap-east-1", 0},        {"ap-east-2", 0},         {"ap-northeast-1", 0},
    {"ap-northeast-2", 0}, {"ap-northeast-3", 0},   {"ap-south-1", 0},        {"ap-south-2", 0},
    {"ap-southeast-1", 0}, {"ap-southeast-2", 0},   {"ap-southeast-3", 0},    {"ap-southeast-4", 0},
    {"ap-southeast-5", 0}, {"ap-southeast-6", 0},   {"ap-southeast-7", 0},    {"aws-global", 0},
    {"ca-central-1", 0},   {"ca-west-1", 0},        {"eu-central-1", 0},      {"eu-central-2", 0},
    {"eu-north-1", 0},     {"eu-south-1", 0},       {"eu-south-2", 0},        {"eu-west-1", 0},
    {"eu-west-2", 0},      {"eu-west-3", 0},        {"il-central-1", 0},      {"me-central-1", 0},
    {"me-south-1", 0},     {"mx-central-1", 0},     {"sa-east-1", 0},         {"us-east-1", 0},
    {"us-east-2", 0},      {"us-west-1", 0},        {"us-west-2", 0},         {"aws-cn-global", 1},
    {"cn-north-1", 1},     {"cn-northwest-1", 1},   {"eusc-de-east-1", 2},    {"aws-iso-global", 3},
    {"us-iso-east-1", 3},  {"us-iso-west-1", 3},    {"aws-iso-b-global", 4},  {"us-isob-east-1", 4},
    {"us-isob-west-1", 4}, {"aws-iso-e-global", 5}, {"eu-isoe-west-1", 5},    {"aws-iso-f-global", 6},
    {"us-isof-east-1", 6}, {"us-isof-south-1", 6},  {"aws-us-gov-global", 7}, {"us-gov-east-1", 7},
    {"us-gov-west-1", 7},
};

// The partition of regions that match no name and no pattern.
inline constexpr std::size_t fallback_partition = 0;

}  // namespace ivsrt::endpoints
