// Reading the accelerator a network is mapped onto: what `tessel map FILE...` reads for one layer
// minus the problem (and the mapping): architecture, keep/bypass constraints or a CoSA mapspace,
// and optionally an ERT, in any number of files.
#pragma once

#include <string>
#include <vector>

#include "tessel/network/network_map.h"

namespace tessel::io {

struct ArchInputs {
  NetworkTarget target;  // arch (energies from the ERT or the defaults) and keep/bypass by name
  bool has_ert = false;
};

// Throws UserError with `file:line:col: message` on malformed YAML or invalid content, and when
// no file has an architecture. Problem and mapping sections in the files are ignored.
ArchInputs LoadArchInputs(const std::vector<std::string>& paths);

// Same, from in-memory documents; `names` label them in error messages.
ArchInputs LoadArchInputsFromStrings(const std::vector<std::string>& texts,
                                     const std::vector<std::string>& names);

}  // namespace tessel::io
