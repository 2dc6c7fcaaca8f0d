// Networks that ship with tessel, readable by name (`--workload resnet50`): built in C++ from
// layer tables, as DAGs that include the layers without MACs. Inference graphs as a compiler sees
// them: BatchNormalization folded into the preceding conv, dropout removed, adaptive pooling that
// is the identity at the default resolution removed, linear-layer biases fused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tessel/workload/workload.h"

namespace tessel {

struct ZooOptions {
  std::int64_t batch = 1;
  std::int64_t sequence_length = 128;  // BERT only
};

// The names MakeZooWorkload accepts: alexnet, bert-base-layer, mobilenetv2, resnet18, resnet50,
// vgg16.
std::vector<std::string> ZooNames();

// Whether `name` names a zoo network. Matching ignores case, '-' and '_' ("ResNet-50" works).
bool IsZooName(std::string_view name);

// The zoo network `name`. Throws UserError listing the valid names when there is none, or when an
// option is not positive.
Workload MakeZooWorkload(std::string_view name, const ZooOptions& options = {});

// The networks one by one (shapes and sources in zoo.cc).
Workload MakeResNet18(std::int64_t batch = 1);
Workload MakeResNet50(std::int64_t batch = 1);
Workload MakeVgg16(std::int64_t batch = 1);
Workload MakeAlexNet(std::int64_t batch = 1);
Workload MakeMobileNetV2(std::int64_t batch = 1);
// zoo_set.cc: the networks SET evaluates.
Workload MakeDarkNet19(std::int64_t batch = 1);
Workload MakeGoogLeNet(std::int64_t batch = 1);
Workload MakeTransformerBlock(std::int64_t batch = 1, std::int64_t sequence_length = 128);
Workload MakeBertBaseLayer(std::int64_t batch = 1, std::int64_t sequence_length = 128);

}  // namespace tessel
