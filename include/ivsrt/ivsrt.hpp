// Everything in one include, for convenience. Translation units that care about compile time
// include ivsrt/client.hpp and only the model headers they use (ivsrt/model/stage.hpp, ...).
#pragma once

#include "ivsrt/async.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/events/ivs_realtime_event.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/modeled_error.hpp"
#include "ivsrt/tokens/key_files.hpp"
#include "ivsrt/tokens/participant_token_signer.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"
