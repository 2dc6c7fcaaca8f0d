#include "tessel/io/sweep/input_overlay.h"

#include <stdlib.h>

#include <fstream>
#include <set>
#include <system_error>

#include "tessel/common/error.h"

namespace tessel::io {
namespace {

namespace fs = std::filesystem;

// The deepest directory containing every path (lexically; "" when they share none but the
// current directory).
fs::path CommonDirectory(const std::vector<std::string>& inputs) {
  fs::path common = fs::path(inputs.front()).lexically_normal().parent_path();
  for (const std::string& input : inputs) {
    const fs::path dir = fs::path(input).lexically_normal().parent_path();
    fs::path shared;
    auto a = common.begin(), b = dir.begin();
    for (; a != common.end() && b != dir.end() && *a == *b; ++a, ++b) shared /= *a;
    common = shared;
  }
  return common;
}

fs::path MakeTempDirectory() {
  std::string pattern = (fs::temp_directory_path() / "tessel-sweep-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw UserError("cannot make a temporary directory for a sweep point in " +
                    fs::temp_directory_path().string());
  return pattern;
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw UserError("cannot write the sweep point's input " + path.string());
}

}  // namespace

InputOverlay::InputOverlay(const std::vector<std::string>& inputs,
                           const std::vector<std::string>& texts) {
  const fs::path root = CommonDirectory(inputs);
  root_ = root.string();
  dir_ = MakeTempDirectory();
  const fs::path source = fs::absolute(root.empty() ? fs::path(".") : root);
  std::set<fs::path> dirs = {fs::path()}, files;  // relative to the root
  for (const std::string& input : inputs) {
    const fs::path rel = fs::path(input).lexically_normal().lexically_relative(root);
    files.insert(rel);
    for (fs::path d = rel.parent_path(); !d.empty(); d = d.parent_path()) dirs.insert(d);
  }
  std::error_code ec;
  for (const fs::path& d : dirs) {
    fs::create_directories(dir_ / d, ec);
    for (const fs::directory_entry& entry : fs::directory_iterator(source / d, ec)) {
      const fs::path rel = d / entry.path().filename();
      if (dirs.count(rel) || files.count(rel)) continue;
      fs::create_symlink(entry.path(), dir_ / rel, ec);
    }
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const fs::path rel = fs::path(inputs[i]).lexically_normal().lexically_relative(root);
    paths_.push_back((dir_ / rel).string());
    Write(dir_ / rel, texts[i]);
  }
}

InputOverlay::~InputOverlay() {
  std::error_code ec;
  fs::remove_all(dir_, ec);  // removes the links, never what they point to
}

std::string InputOverlay::Restore(const std::string& text) const {
  const std::string from = dir_.string() + "/";
  const std::string to = root_.empty() ? "" : root_ + "/";
  std::string out;
  size_t at = 0;
  for (size_t hit; (hit = text.find(from, at)) != std::string::npos; at = hit + from.size())
    out += text.substr(at, hit - at) + to;
  return out + text.substr(at);
}

}  // namespace tessel::io
