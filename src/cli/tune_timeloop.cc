#include "cli/tune_timeloop.h"

#include "tessel/common/error.h"

namespace tessel::cli {

int RunTimeloopTune(const TimeloopTuneRequest&, const TimingModel&, EvaluationCache&) {
  throw UserError("tessel tune --model timeloop is not available yet");
}

}  // namespace tessel::cli
