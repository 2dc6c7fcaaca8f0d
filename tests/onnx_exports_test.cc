// Models as exporters write them, read as they are: PaddleOCR-style graphs in paddle2onnx's forms
// (tests/tools/make_paddleocr_models.py, committed), and, when Debian's python3-torchvision is
// installed, models that torch.onnx exports from torchvision's classes on the spot
// (tests/tools/export_torchvision.py --small). Every MAC layer must be found and the MACs must
// equal a count made outside tessel.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/onnx/reader.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;
const std::string kData = std::string(TESSEL_TEST_DATA_DIR);

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

int CountOps(const Workload& w, const std::string& op) {
  int n = 0;
  for (const Layer& layer : w.layers()) n += layer.op == op;
  return n;
}

// The MACs make_paddleocr_models.py counts while it builds each graph, layer by layer, from the
// shapes it tracks itself (conv N*M*OH*OW*C/g*KH*KW, ConvTranspose N*C*IH*IW*M/g*KH*KW, matmul
// batch*M*N*K): it prints them and writes them to macs.tsv beside the models.
//   det 1x3x640x640: 1,881,420,192 MACs in 73 MAC layers (71 convs, 2 ConvTranspose)
//   rec 1x3x48x320:    789,304,320 MACs in 48 (35 convs; 13 matmuls: 6 in each of the 2
//                      attention blocks -- qkv, q x k^T, attention x v, projection, two MLP
//                      layers -- and the CTC head)
//   cls 1x3x48x192:      1,807,216 MACs in 39 (38 convs, 1 matmul)
TEST(OnnxExportsTest, PaddleOcrStyleModelsImportWithEveryMacLayer) {
  struct Case {
    const char* file;
    std::vector<std::int64_t> shape;
    std::int64_t macs;
    size_t mac_layers;
  };
  for (const Case& c : {Case{"ppocr_det.onnx", {1, 3, 640, 640}, 1881420192, 73},
                        Case{"ppocr_rec.onnx", {1, 3, 48, 320}, 789304320, 48},
                        Case{"ppocr_cls.onnx", {1, 3, 48, 192}, 1807216, 39}}) {
    io::OnnxOptions options;
    options.input_shapes["x"] = c.shape;
    const Workload w = io::ReadOnnxFile(kData + "/onnx/paddleocr/" + c.file, options);
    EXPECT_EQ(w.TotalMacs(), c.macs) << c.file;
    EXPECT_EQ(w.MacLayers().size(), c.mac_layers) << c.file;
  }
  io::OnnxOptions options;
  options.input_shapes["x"] = {1, 3, 640, 640};
  const Workload det = io::ReadOnnxFile(kData + "/onnx/paddleocr/ppocr_det.onnx", options);
  EXPECT_EQ(CountOps(det, "ConvTranspose"), 2);  // the DB head's two 2x upsamplers
  EXPECT_EQ(CountOps(det, "Resize"), 6);         // FPN: 3 with constant scales, 3 with sizes
}

// paddle2onnx keeps the batch and image extents dynamic: the one error that suggests
// --input-shape.
TEST(OnnxExportsTest, DynamicPaddleInputAsksForAStaticShape) {
  const std::string path = kData + "/onnx/paddleocr/ppocr_rec.onnx";
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxFile(path); }),
            path +
                ": model input 'x' has the dynamic shape [p2o.DynamicDimension.0,3,48,"
                "p2o.DynamicDimension.1]: dimension 0 is 'p2o.DynamicDimension.0'; give it a "
                "static shape with input_shapes (--input-shape x=D0,D1,D2,D3)");
}

bool TorchvisionAvailable() {
  return std::system("/usr/bin/python3 -c 'import torch, torchvision' > /dev/null 2>&1") == 0;
}

// Optional: exports reduced configurations of torchvision's MobileNetV3, LR-ASPP, ViT and Swin
// classes and a ConvTranspose2d / grouped-conv decoder with torch.onnx (no hand editing), and
// compares tessel with the MACs PyTorch dispatched while running each model (macs.tsv:
// file, MACs, MAC-op nodes of the graph, operators the counter saw but does not count).
TEST(OnnxExportsTest, TorchvisionExportsMatchPyTorchsOwnCount) {
  if (!TorchvisionAvailable())
    GTEST_SKIP() << "python3-torchvision is not installed for /usr/bin/python3 (optional: "
                    "apt-get install python3-torchvision)";
  const fs::path dir =
      fs::temp_directory_path() / ("tessel_torchvision_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string command = "/usr/bin/python3 " + kData + "/../tools/export_torchvision.py " +
                              dir.string() + " --small > " + (dir / "log.txt").string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "see " << (dir / "log.txt");
  std::ifstream table(dir / "macs.tsv");
  std::string line;
  int models = 0;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string file;
    std::int64_t macs = 0;
    size_t nodes = 0;
    fields >> file >> macs >> nodes;
    const Workload w = io::ReadOnnxFile((dir / file).string());
    EXPECT_NEAR(static_cast<double>(w.TotalMacs()), static_cast<double>(macs), 1e-3 * macs) << file;
    EXPECT_EQ(w.MacLayers().size(), nodes) << file;
    ++models;
  }
  EXPECT_EQ(models, 5);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tessel
