// Mapping, LevelMapping, Loop, Constraints and Inputs as Python classes (see types.h).
#include <pybind11/stl.h>

#include "convert.h"
#include "tessel/common/error.h"
#include "tessel/io/mapping_writer.h"
#include "tessel/report/mapping_json.h"
#include "types.h"

namespace tessel::python {
namespace {

SpatialAxis ParseAxis(const std::string& axis) {
  if (axis == "X" || axis == "x") return SpatialAxis::kX;
  if (axis == "Y" || axis == "y") return SpatialAxis::kY;
  throw py::value_error("axis must be 'X' or 'Y', not '" + axis + "'");
}

Loop MakeLoop(int dim, std::int64_t factor, const std::string& axis) {
  if (dim < 0) throw py::value_error("dim must be >= 0 (an index into Problem.dims)");
  if (factor < 1) throw py::value_error("factor must be at least 1");
  return Loop{dim, factor, ParseAxis(axis)};
}

py::list LoopsList(const std::vector<Loop>& loops, bool spatial) {
  py::list out;
  for (const Loop& l : loops) {
    if (spatial)
      out.append(py::make_tuple(l.dim, l.factor, l.axis == SpatialAxis::kX ? "X" : "Y"));
    else
      out.append(py::make_tuple(l.dim, l.factor));
  }
  return out;
}

// Without problem and arch: loops by dimension index. With both: MappingToJson (names).
py::object MappingDict(const Mapping& mapping, const std::shared_ptr<Problem>& problem,
                       const std::shared_ptr<Arch>& arch) {
  if (problem && arch) {
    RequireWellFormed(*problem, *arch, mapping);
    return ToPython(MappingToJson(*problem, *arch, mapping));
  }
  py::list levels;
  for (const LevelMapping& level : mapping.levels) {
    py::dict d;
    d["temporal"] = LoopsList(level.temporal, false);
    d["spatial"] = LoopsList(level.spatial, true);
    d["keep"] = level.keep;
    levels.append(d);
  }
  py::dict out;
  out["levels"] = levels;
  return std::move(out);
}

void BindLoops(py::module_& m) {
  py::class_<Loop>(m, "Loop",
                   "One loop: a dimension index (into Problem.dims), a factor, and "
                   "for spatial loops the axis 'X' or 'Y'.")
      .def(py::init(&MakeLoop), py::arg("dim"), py::arg("factor"), py::arg("axis") = "X")
      .def_property(
          "dim", [](const Loop& l) { return l.dim; },
          [](Loop& l, int dim) { l.dim = MakeLoop(dim, 1, "X").dim; })
      .def_property(
          "factor", [](const Loop& l) { return l.factor; },
          [](Loop& l, std::int64_t factor) { l.factor = MakeLoop(0, factor, "X").factor; })
      .def_property(
          "axis", [](const Loop& l) { return l.axis == SpatialAxis::kX ? "X" : "Y"; },
          [](Loop& l, const std::string& axis) { l.axis = ParseAxis(axis); })
      .def("__eq__",
           [](const Loop& a, const Loop& b) {
             return a.dim == b.dim && a.factor == b.factor && a.axis == b.axis;
           })
      .def("__repr__", [](const Loop& l) {
        return "Loop(dim=" + std::to_string(l.dim) + ", factor=" + std::to_string(l.factor) +
               ", axis='" + (l.axis == SpatialAxis::kX ? "X" : "Y") + "')";
      });

  py::class_<LevelMapping>(m, "LevelMapping",
                           "One storage level's loops (innermost first) and keep flags (one per "
                           "data space). A value: read from Mapping.levels, change, assign back.")
      .def(py::init(
               [](std::vector<Loop> temporal, std::vector<Loop> spatial, std::vector<bool> keep) {
                 return LevelMapping{std::move(temporal), std::move(spatial), std::move(keep)};
               }),
           py::arg("temporal") = std::vector<Loop>{}, py::arg("spatial") = std::vector<Loop>{},
           py::arg("keep") = std::vector<bool>{})
      .def_readwrite("temporal", &LevelMapping::temporal)
      .def_readwrite("spatial", &LevelMapping::spatial)
      .def_readwrite("keep", &LevelMapping::keep)
      .def("__repr__", [](const LevelMapping& l) {
        return "<tessel.LevelMapping " + std::to_string(l.temporal.size()) + " temporal, " +
               std::to_string(l.spatial.size()) + " spatial loops>";
      });
}

void BindMappingClass(py::module_& m) {
  py::class_<Mapping, std::shared_ptr<Mapping>>(
      m, "Mapping",
      "Per storage level (innermost first): temporal and spatial loops and keep flags.\n\n"
      "mapping.levels returns copies; assign a changed list back. to_yaml(problem, arch) writes\n"
      "the `mapping:` document timeloop-model reads.")
      .def(py::init([](std::vector<LevelMapping> levels) {
             auto mapping = std::make_shared<Mapping>();
             mapping->levels = std::move(levels);
             return mapping;
           }),
           py::arg("levels") = std::vector<LevelMapping>{})
      .def_readwrite("levels", &Mapping::levels)
      .def(
          "to_yaml",
          [](const Mapping& mapping, const std::shared_ptr<Problem>& problem,
             const std::shared_ptr<Arch>& arch) {
            if (!problem || !arch) throw py::type_error("to_yaml needs a Problem and an Arch");
            RequireWellFormed(*problem, *arch, mapping);
            return WriteTimeloopMappingYaml(*problem, *arch, mapping);
          },
          py::arg("problem"), py::arg("arch"),
          "Timeloop YAML (`mapping:` list, outermost level first), as `tessel map "
          "--mapping-out` writes it.")
      .def(
          "to_dict",
          [](const Mapping& mapping, const std::shared_ptr<Problem>& problem,
             const std::shared_ptr<Arch>& arch) { return MappingDict(mapping, problem, arch); },
          py::arg("problem") = nullptr, py::arg("arch") = nullptr,
          "With problem and arch: the JSON form of `tessel map` (names, factors > 1); "
          "without: loops by dimension index.")
      .def("copy", [](const Mapping& mp) { return std::make_shared<Mapping>(mp); })
      .def("__repr__", [](const Mapping& mp) {
        return "<tessel.Mapping " + std::to_string(mp.levels.size()) + " levels>";
      });

  m.def(
      "outermost_mapping",
      [](const std::shared_ptr<Problem>& problem, const std::shared_ptr<Arch>& arch) {
        if (!problem || !arch)
          throw py::type_error("outermost_mapping needs a Problem and an Arch");
        return std::make_shared<Mapping>(
            MakeOutermostMapping(*problem, static_cast<int>(arch->storage.size())));
      },
      py::arg("problem"), py::arg("arch"),
      "Every dimension's whole bound as a temporal loop at the outermost level, every level "
      "keeping every tensor: a valid starting point when the buffers are big enough.");
}

py::dict LimitsDict(const std::vector<FactorLimit>& limits, const MapConstraints& c) {
  py::dict out;
  for (std::size_t d = 0; d < limits.size(); ++d) {
    const FactorLimit& f = limits[d];
    if (f.IsFree()) continue;
    py::dict limit;
    if (f.exact == FactorLimit::kWholeBound)
      limit["exact"] = "bound";
    else if (f.exact != 0)
      limit["exact"] = f.exact;
    if (f.min > 1) limit["min"] = f.min;
    if (f.max != 0) limit["max"] = f.max;
    out[py::str(d < c.dims.size() ? c.dims[d] : "#" + std::to_string(d))] = limit;
  }
  return out;
}

py::list OrderList(const std::vector<int>& dims, const MapConstraints& c) {
  py::list out;
  for (int d : dims)
    out.append(d >= 0 && d < static_cast<int>(c.dims.size()) ? c.dims[d] : "#" + std::to_string(d));
  return out;
}

py::dict ConstraintsDict(const MapConstraints& c) {
  py::list levels;
  for (const LevelConstraints& level : c.levels) {
    py::dict keep;
    for (std::size_t ds = 0; ds < level.keep.size(); ++ds)
      if (level.keep[ds])
        keep[py::str(ds < c.data_spaces.size() ? c.data_spaces[ds] : "#" + std::to_string(ds))] =
            *level.keep[ds];
    py::dict d;
    d["temporal"] = LimitsDict(level.temporal, c);
    d["spatial"] = LimitsDict(level.spatial, c);
    d["temporal_order"] = py::dict(py::arg("inner") = OrderList(level.temporal_order.inner, c),
                                   py::arg("outer") = OrderList(level.temporal_order.outer, c));
    d["spatial_order"] = py::dict(py::arg("inner") = OrderList(level.spatial_order.inner, c),
                                  py::arg("outer") = OrderList(level.spatial_order.outer, c));
    d["split"] = level.split;
    d["keep"] = keep;
    levels.append(d);
  }
  py::dict out;
  out["dims"] = c.dims;
  out["data_spaces"] = c.data_spaces;
  out["levels"] = levels;
  out["min_parallelism"] = c.min_parallelism;
  return out;
}

void BindInputsClass(py::module_& m) {
  py::class_<MapConstraints, std::shared_ptr<MapConstraints>>(
      m, "Constraints",
      "Mapspace constraints read from the inputs (read-only); levels innermost first.")
      .def_property_readonly("empty", &MapConstraints::empty)
      .def("to_dict", &ConstraintsDict,
           "Per level: factor limits by dimension, loop orders, split and keep/bypass.")
      .def("__repr__", [](const MapConstraints& c) {
        return std::string("<tessel.Constraints ") + (c.empty() ? "empty" : "set") + ">";
      });

  py::class_<PyInputs, std::shared_ptr<PyInputs>>(
      m, "Inputs",
      "What tessel.load read: problem, arch, mapping (None when no file has one), constraints.\n"
      "The attributes are shared objects: changing inputs.arch.level(...) changes what\n"
      "tessel.evaluate(inputs) sees; assigning inputs.arch = other replaces it.")
      .def(py::init([](std::shared_ptr<Problem> problem, std::shared_ptr<Arch> arch,
                       std::shared_ptr<Mapping> mapping) {
             if (!problem || !arch) throw py::type_error("Inputs needs a Problem and an Arch");
             auto inputs = std::make_shared<PyInputs>();
             inputs->problem = std::move(problem);
             inputs->arch = std::move(arch);
             inputs->mapping = std::move(mapping);
             return inputs;
           }),
           py::arg("problem"), py::arg("arch"), py::arg("mapping") = nullptr)
      .def_property(
          "problem", [](const PyInputs& in) { return in.problem; },
          [](PyInputs& in, std::shared_ptr<Problem> p) {
            if (!p) throw py::type_error("problem cannot be None");
            in.problem = std::move(p);
          })
      .def_property(
          "arch", [](const PyInputs& in) { return in.arch; },
          [](PyInputs& in, std::shared_ptr<Arch> a) {
            if (!a) throw py::type_error("arch cannot be None");
            in.arch = std::move(a);
          })
      .def_readwrite("mapping", &PyInputs::mapping, "A Mapping, or None.")
      .def_property_readonly("constraints", [](const PyInputs& in) { return in.constraints; })
      .def_readonly("has_ert", &PyInputs::has_ert, "True when an ERT gave the energies.")
      .def_readonly("files", &PyInputs::files, "The files read, in order.")
      .def(
          "to_dict",
          [](const PyInputs& in) {
            py::dict d;
            d["problem"] = ProblemDict(*in.problem);
            d["arch"] = ArchDict(*in.arch);
            d["mapping"] =
                in.mapping ? MappingDict(*in.mapping, in.problem, in.arch) : py::object(py::none());
            d["constraints"] = ConstraintsDict(*in.constraints);
            d["files"] = in.files;
            return d;
          },
          "problem, arch, mapping (names, as tessel map's JSON), constraints, files.")
      .def(
          "mapping_yaml",
          [](const PyInputs& in) {
            if (!in.mapping) throw UserError("no mapping: these inputs have none");
            RequireWellFormed(*in.problem, *in.arch, *in.mapping);
            return WriteTimeloopMappingYaml(*in.problem, *in.arch, *in.mapping);
          },
          "The mapping as Timeloop YAML.")
      .def(
          "copy",
          [](const PyInputs& in) {
            auto out = std::make_shared<PyInputs>(in);
            out->problem = std::make_shared<Problem>(*in.problem);
            out->arch = std::make_shared<Arch>(*in.arch);
            if (in.mapping) out->mapping = std::make_shared<Mapping>(*in.mapping);
            return out;
          },
          "A deep copy (problem, arch and mapping not shared).")
      .def("__repr__", [](const PyInputs& in) {
        return "<tessel.Inputs problem '" + in.problem->name + "', arch '" + in.arch->name + "', " +
               (in.mapping ? "a mapping" : "no mapping") +
               (in.constraints->empty() ? "" : ", constraints") + ">";
      });
}

}  // namespace

void BindMapping(py::module_& m) {
  BindLoops(m);
  BindMappingClass(m);
}

void BindInputs(py::module_& m) { BindInputsClass(m); }

}  // namespace tessel::python
