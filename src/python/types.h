// The value types as Python classes: Problem, Arch (with StorageLevel and Arithmetic views),
// Mapping (LevelMapping, Loop), Constraints and Inputs.
//
// Ownership: Problem, Arch, Mapping and Constraints are held by std::shared_ptr, so an Inputs
// and the objects read from it share them (changing inputs.arch changes what evaluate sees). A
// StorageLevel view holds its Arch and an index and re-checks the index on every access, so no
// Python object ever points into memory that a later change freed. Loops and level mappings are
// values: reading mapping.levels gives copies, assigning it back stores them.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/mapping/constraints.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel::python {

namespace py = pybind11;

struct PyInputs {
  std::shared_ptr<Problem> problem = std::make_shared<Problem>();
  std::shared_ptr<Arch> arch = std::make_shared<Arch>();
  std::shared_ptr<Mapping> mapping;  // null: no mapping
  std::shared_ptr<MapConstraints> constraints = std::make_shared<MapConstraints>();
  bool has_ert = false;
  std::vector<std::string> files;  // what it was loaded from ([] when built in Python)
};

// The structural check of `mapping` against `problem` and `arch` (model/evaluate.h); throws
// UserError "invalid mapping: ..." when it fails, so that printers and writers that assume a
// well-formed mapping are never called on one that is not.
void RequireWellFormed(const Problem& problem, const Arch& arch, const Mapping& mapping);

// The constraints must be sized for the arch (they are parallel to its storage levels); throws
// UserError otherwise (after levels were added or removed in Python).
void RequireConstraintsFit(const MapConstraints& constraints, const Arch& arch);

// Plain-data forms for to_dict().
py::dict LevelDict(const StorageLevel& level);
py::dict ArchDict(const Arch& arch);
py::dict ProblemDict(const Problem& problem);

void BindTypes(py::module_& m);

}  // namespace tessel::python
