// A sweep point's input files on disk, for the readers that open files by path and follow
// relative paths from one file to others (Stream core files, mesh tile files, CIM chip files).
//
// The overlay is a fresh temporary directory that mirrors the directory the inputs share (their
// deepest common directory, the root): each directory on the way from the root to an input is a
// real directory, the inputs are written there with the point's texts, and every other entry on
// the way is a symbolic link to the original. So a file an input names by a relative path inside
// the root resolves as it does beside the originals (a path leaving the root with `..` does not:
// docs/sweep.md). The directory is removed when the overlay is destroyed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tessel::io {

class InputOverlay {
 public:
  // `inputs`: the original paths (as the sweep file resolves them); `texts`: what to write in
  // their place. Throws UserError when the temporary directory cannot be made or written.
  InputOverlay(const std::vector<std::string>& inputs, const std::vector<std::string>& texts);
  ~InputOverlay();
  InputOverlay(const InputOverlay&) = delete;
  InputOverlay& operator=(const InputOverlay&) = delete;

  // Where input i was written.
  const std::vector<std::string>& paths() const { return paths_; }
  // `text` (a reader's message) with the overlay's paths put back as the originals': the same
  // text whichever process or temporary directory ran the point.
  std::string Restore(const std::string& text) const;

 private:
  std::filesystem::path dir_;
  std::string root_;  // the shared directory as the inputs spell it ("" = the current one)
  std::vector<std::string> paths_;
};

}  // namespace tessel::io
