#include "fuzz_files.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace tessel::fuzz {
namespace {

constexpr std::string_view kMarker = "#=== ";

bool PlainName(const std::string& name) {
  return !name.empty() && name.size() < 64 && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos && name != "." && name != "..";
}

std::string ScratchDir() {
  static const std::string dir = [] {
    const char* base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    return std::string(base) + "/tessel-fuzz-" + std::to_string(getpid());
  }();
  static const bool cleanup_registered = [] {
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(ScratchDir(), ignored);
    });
    return true;
  }();
  (void)cleanup_registered;
  return dir;
}

}  // namespace

std::vector<FuzzFile> SplitFiles(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<FuzzFile> files{{"input.yaml", ""}};
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view line = text.substr(pos, end - pos);
    if (line.substr(0, kMarker.size()) == kMarker) {
      std::string name(line.substr(kMarker.size()));
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
      files.push_back({PlainName(name) ? name : "input.yaml", ""});
    } else {
      files.back().text.append(line);
    }
    pos = end;
  }
  if (files.size() > 1 && files.front().text.empty()) files.erase(files.begin());
  return files;
}

std::string WriteScratchFiles(const std::vector<FuzzFile>& files) {
  const std::string dir = ScratchDir();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const FuzzFile& file : files) {
    std::ofstream out(dir + "/" + file.name, std::ios::binary | std::ios::app);
    out << file.text;
  }
  return dir;
}

}  // namespace tessel::fuzz
