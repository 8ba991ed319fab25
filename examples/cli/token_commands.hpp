// ivsrt-cli commands for participant tokens signed locally:
//   create-key-pair  --private-key-file F [--public-key-file G] [--overwrite]
//   mint-token       --private-key-file F --public-key-arn ARN --stage-arn ARN --events-url URL
//                    --whip-url URL [--participant-id ID] [--user-id ID] [--attributes JSON|k=v,...]
//                    [--capabilities PUBLISH SUBSCRIBE] [--duration MINUTES] [--output text|json]
// `args` is everything after the command name. Exit codes follow the AWS CLI: 0 success, 252 bad
// usage or parameter value, 255 any other failure (files, OpenSSL).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

int run_create_key_pair(const std::vector<std::string>& args);
int run_mint_token(const std::vector<std::string>& args);

// The same, writing to the given streams instead of std::cout and std::cerr.
int run_create_key_pair(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_mint_token(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
