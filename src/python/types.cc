#include "types.h"

#include <pybind11/stl.h>

#include <cmath>
#include <optional>

#include "convert.h"
#include "tessel/common/error.h"
#include "tessel/io/mapping_writer.h"
#include "tessel/model/evaluate.h"
#include "tessel/report/mapping_json.h"

namespace tessel::python {
namespace {

// A storage level of an Arch, by index; every access re-checks that the level still exists.
struct LevelView {
  std::shared_ptr<Arch> arch;
  std::size_t index = 0;

  StorageLevel& get() const {
    if (index >= arch->storage.size())
      throw py::index_error("storage level #" + std::to_string(index) +
                            " no longer exists: the architecture has " +
                            std::to_string(arch->storage.size()) + " levels");
    return arch->storage[index];
  }
};

struct ArithmeticView {
  std::shared_ptr<Arch> arch;
};

std::int64_t AtLeast(std::int64_t value, std::int64_t minimum, const char* what) {
  if (value < minimum)
    throw py::value_error(std::string(what) + " must be at least " + std::to_string(minimum) +
                          ", not " + std::to_string(value));
  return value;
}

double Positive(double value, const char* what) {
  if (!(value > 0) || !std::isfinite(value))
    throw py::value_error(std::string(what) + " must be a positive finite number");
  return value;
}

double NonNegative(double value, const char* what) {
  if (!(value >= 0) || !std::isfinite(value))
    throw py::value_error(std::string(what) + " must be a finite number >= 0");
  return value;
}

std::optional<double> OptionalPositive(std::optional<double> value, const char* what) {
  if (value) Positive(*value, what);
  return value;
}

// Integer fields of StorageLevel with their lower bound.
template <std::int64_t StorageLevel::*Field>
void IntField(py::class_<LevelView>& cls, const char* name, std::int64_t minimum, const char* doc) {
  cls.def_property(
      name, [](const LevelView& v) { return v.get().*Field; },
      [name, minimum](const LevelView& v, std::int64_t value) {
        v.get().*Field = AtLeast(value, minimum, name);
      },
      doc);
}

template <std::optional<double> StorageLevel::*Field>
void BandwidthField(py::class_<LevelView>& cls, const char* name, const char* doc) {
  cls.def_property(
      name, [](const LevelView& v) { return v.get().*Field; },
      [name](const LevelView& v, std::optional<double> value) {
        v.get().*Field = OptionalPositive(value, name);
      },
      doc);
}

template <double StorageEnergy::*Field>
void EnergyField(py::class_<LevelView>& cls, const char* name, const char* doc) {
  cls.def_property(
      name, [](const LevelView& v) { return v.get().energy.*Field; },
      [name](const LevelView& v, double value) {
        v.get().energy.*Field = NonNegative(value, name);
      },
      doc);
}

}  // namespace

py::dict LevelDict(const StorageLevel& s) {
  py::dict d;
  d["name"] = s.name;
  d["class"] = s.klass;
  d["instances"] = s.instances;
  d["mesh_x"] = s.mesh_x;
  d["mesh_y"] = s.mesh_y;
  d["size_words"] = s.size_words;
  d["word_bits"] = s.word_bits;
  d["block_size"] = s.block_size;
  d["cluster_size"] = s.cluster_size;
  d["multiple_buffering"] = s.multiple_buffering;
  d["read_bandwidth"] = s.read_bandwidth;
  d["write_bandwidth"] = s.write_bandwidth;
  d["shared_bandwidth"] = s.shared_bandwidth;
  d["is_dram"] = s.is_dram;
  d["read_pJ"] = s.energy.read_pJ;
  d["fill_pJ"] = s.energy.fill_pJ;
  d["update_pJ"] = s.energy.update_pJ;
  d["leak_pJ"] = s.energy.leak_pJ;
  d["energy_source"] = s.energy_source;
  return d;
}

py::dict ArchDict(const Arch& arch) {
  py::list storage;
  for (const StorageLevel& s : arch.storage) storage.append(LevelDict(s));
  py::dict mac;
  mac["name"] = arch.arithmetic.name;
  mac["instances"] = arch.arithmetic.instances;
  mac["mesh_x"] = arch.arithmetic.mesh_x;
  mac["mesh_y"] = arch.arithmetic.mesh_y;
  mac["word_bits"] = arch.arithmetic.word_bits;
  mac["compute_pJ"] = arch.arithmetic.compute_pJ;
  mac["energy_source"] = arch.arithmetic.energy_source;
  py::dict d;
  d["name"] = arch.name;
  d["storage"] = storage;
  d["arithmetic"] = mac;
  return d;
}

py::dict ProblemDict(const Problem& p) {
  py::dict dims, coefficients;
  for (const Dimension& d : p.dims) dims[py::str(d.name)] = d.bound;
  for (const Coefficient& c : p.coefficients) coefficients[py::str(c.name)] = c.value;
  py::list spaces;
  for (const DataSpace& ds : p.data_spaces) {
    py::list ranks;
    for (const Rank& rank : ds.ranks) {
      py::list terms;
      for (const ProjectionTerm& t : rank.terms) {
        const bool known = t.dim >= 0 && t.dim < static_cast<int>(p.dims.size());
        terms.append(py::make_tuple(known ? p.dims[t.dim].name : "?", t.coefficient));
      }
      ranks.append(terms);
    }
    py::dict space;
    space["name"] = ds.name;
    space["read_write"] = ds.read_write;
    space["ranks"] = ranks;
    spaces.append(space);
  }
  py::dict d;
  d["name"] = p.name;
  d["dims"] = dims;
  d["coefficients"] = coefficients;
  d["data_spaces"] = spaces;
  return d;
}

namespace {

int DimByName(const Problem& p, const std::string& name) {
  const int dim = p.DimIndex(name);
  if (dim < 0) throw py::key_error("problem '" + p.name + "' has no dimension '" + name + "'");
  return dim;
}

void BindProblem(py::module_& m) {
  py::class_<Problem, std::shared_ptr<Problem>>(
      m, "Problem",
      "A layer's iteration space and tensors (Timeloop's problem shape + instance).\n\n"
      "Read from YAML with tessel.load, or built with tessel.conv_problem. Bounds change in\n"
      "place: problem.set_bound('C', 64) or problem.bounds = {...}.")
      .def_readwrite("name", &Problem::name)
      .def_property_readonly(
          "dims",
          [](const Problem& p) {
            std::vector<std::string> names;
            for (const Dimension& d : p.dims) names.push_back(d.name);
            return names;
          },
          "Dimension names, in the problem's order.")
      .def_property(
          "bounds",
          [](const Problem& p) {
            py::dict d;
            for (const Dimension& dim : p.dims) d[py::str(dim.name)] = dim.bound;
            return d;
          },
          [](Problem& p, const std::map<std::string, std::int64_t>& bounds) {
            for (const auto& [name, bound] : bounds) {
              DimByName(p, name);
              AtLeast(bound, 1, "a bound");
            }
            for (const auto& [name, bound] : bounds) p.dims[p.DimIndex(name)].bound = bound;
          },
          "{dimension: bound}; assigning a dict changes the bounds it names.")
      .def(
          "set_bound",
          [](Problem& p, const std::string& name, std::int64_t bound) {
            p.dims[DimByName(p, name)].bound = AtLeast(bound, 1, "a bound");
          },
          py::arg("dim"), py::arg("bound"), "Sets one dimension's bound (>= 1).")
      .def_property_readonly(
          "data_spaces",
          [](const Problem& p) {
            std::vector<std::string> names;
            for (const DataSpace& ds : p.data_spaces) names.push_back(ds.name);
            return names;
          },
          "Tensor names (Weights, Inputs, Outputs for a conv).")
      .def_property_readonly("total_operations", &Problem::TotalOperations,
                             "Product of the bounds: the MACs of the layer.")
      .def("to_dict", &ProblemDict, "name, dims {name: bound}, coefficients, data_spaces.")
      .def(
          "copy", [](const Problem& p) { return std::make_shared<Problem>(p); },
          "An independent copy.")
      .def("__repr__", [](const Problem& p) {
        std::string text = "<tessel.Problem '" + p.name + "'";
        for (const Dimension& d : p.dims) text += " " + d.name + "=" + std::to_string(d.bound);
        return text + ">";
      });

  m.def(
      "conv_problem",
      [](const std::string& name, std::int64_t R, std::int64_t S, std::int64_t P, std::int64_t Q,
         std::int64_t C, std::int64_t M, std::int64_t N, std::int64_t G, std::int64_t w_stride,
         std::int64_t h_stride, std::int64_t w_dilation, std::int64_t h_dilation) {
        ConvShape shape;
        shape.R = AtLeast(R, 1, "R");
        shape.S = AtLeast(S, 1, "S");
        shape.P = AtLeast(P, 1, "P");
        shape.Q = AtLeast(Q, 1, "Q");
        shape.C = AtLeast(C, 1, "C");
        shape.M = AtLeast(M, 1, "M");
        shape.N = AtLeast(N, 1, "N");
        shape.G = AtLeast(G, 1, "G");
        shape.w_stride = AtLeast(w_stride, 1, "w_stride");
        shape.h_stride = AtLeast(h_stride, 1, "h_stride");
        shape.w_dilation = AtLeast(w_dilation, 1, "w_dilation");
        shape.h_dilation = AtLeast(h_dilation, 1, "h_dilation");
        return std::make_shared<Problem>(MakeConvProblem(name, shape));
      },
      py::arg("name") = "conv", py::kw_only(), py::arg("R") = 1, py::arg("S") = 1, py::arg("P") = 1,
      py::arg("Q") = 1, py::arg("C") = 1, py::arg("M") = 1, py::arg("N") = 1, py::arg("G") = 1,
      py::arg("w_stride") = 1, py::arg("h_stride") = 1, py::arg("w_dilation") = 1,
      py::arg("h_dilation") = 1,
      "Timeloop's cnn-layer problem (dimensions R S P Q C M N, plus G when G > 1).");
}

void BindArch(py::module_& m) {
  py::class_<LevelView> level(m, "StorageLevel",
                              "One storage level of an Arch (a live view: changes go into the "
                              "Arch). Sizes in words, bandwidths in words/cycle/instance, "
                              "energies in pJ per vector access.");
  level.def_property_readonly("name", [](const LevelView& v) { return v.get().name; })
      .def_property_readonly(
          "klass", [](const LevelView& v) { return v.get().klass; },
          "The input's class: SRAM, DRAM, regfile, dummy_storage, ...")
      .def_property_readonly("is_dram", [](const LevelView& v) { return v.get().is_dram; })
      .def_property_readonly(
          "index", [](const LevelView& v) { return v.index; },
          "Position in Arch.storage (0 = innermost).")
      .def_property(
          "size_words", [](const LevelView& v) { return v.get().size_words; },
          [](const LevelView& v, std::optional<std::int64_t> words) {
            if (words) AtLeast(*words, 0, "size_words");
            v.get().size_words = words;
          },
          "Capacity in words; None = unbounded (DRAM).")
      .def_property(
          "word_bits", [](const LevelView& v) { return v.get().word_bits; },
          [](const LevelView& v, int bits) {
            v.get().word_bits = static_cast<int>(AtLeast(bits, 1, "word_bits"));
          })
      .def_property(
          "multiple_buffering", [](const LevelView& v) { return v.get().multiple_buffering; },
          [](const LevelView& v, double value) {
            v.get().multiple_buffering = Positive(value, "multiple_buffering");
          })
      .def_property(
          "energy_source", [](const LevelView& v) { return v.get().energy_source; },
          [](const LevelView& v, const std::string& source) { v.get().energy_source = source; })
      .def("to_dict", [](const LevelView& v) { return LevelDict(v.get()); })
      .def("__repr__", [](const LevelView& v) {
        const StorageLevel& s = v.get();
        return "<tessel.StorageLevel " + s.name +
               " size_words=" + (s.size_words ? std::to_string(*s.size_words) : "None") + ">";
      });
  IntField<&StorageLevel::instances>(level, "instances", 1, "Instances of the level.");
  IntField<&StorageLevel::mesh_x>(level, "mesh_x", 1, "Instances along X.");
  IntField<&StorageLevel::mesh_y>(level, "mesh_y", 1, "Instances along Y.");
  IntField<&StorageLevel::block_size>(level, "block_size", 1, "Words per vector access.");
  IntField<&StorageLevel::cluster_size>(level, "cluster_size", 1, "Instances per wide row.");
  BandwidthField<&StorageLevel::read_bandwidth>(level, "read_bandwidth", "None = unlimited.");
  BandwidthField<&StorageLevel::write_bandwidth>(level, "write_bandwidth", "None = unlimited.");
  BandwidthField<&StorageLevel::shared_bandwidth>(level, "shared_bandwidth", "None = unlimited.");
  EnergyField<&StorageEnergy::read_pJ>(level, "read_pJ", "pJ per vector read.");
  EnergyField<&StorageEnergy::fill_pJ>(level, "fill_pJ", "pJ per vector fill.");
  EnergyField<&StorageEnergy::update_pJ>(level, "update_pJ", "pJ per vector update.");
  EnergyField<&StorageEnergy::leak_pJ>(level, "leak_pJ", "pJ per instance per cycle.");

  py::class_<ArithmeticView>(m, "Arithmetic", "The MAC level of an Arch (a live view).")
      .def_property_readonly("name",
                             [](const ArithmeticView& v) { return v.arch->arithmetic.name; })
      .def_property(
          "instances", [](const ArithmeticView& v) { return v.arch->arithmetic.instances; },
          [](const ArithmeticView& v, std::int64_t n) {
            v.arch->arithmetic.instances = AtLeast(n, 1, "instances");
          })
      .def_property(
          "mesh_x", [](const ArithmeticView& v) { return v.arch->arithmetic.mesh_x; },
          [](const ArithmeticView& v, std::int64_t n) {
            v.arch->arithmetic.mesh_x = AtLeast(n, 1, "mesh_x");
          })
      .def_property(
          "mesh_y", [](const ArithmeticView& v) { return v.arch->arithmetic.mesh_y; },
          [](const ArithmeticView& v, std::int64_t n) {
            v.arch->arithmetic.mesh_y = AtLeast(n, 1, "mesh_y");
          })
      .def_property(
          "compute_pJ", [](const ArithmeticView& v) { return v.arch->arithmetic.compute_pJ; },
          [](const ArithmeticView& v, double pJ) {
            v.arch->arithmetic.compute_pJ = NonNegative(pJ, "compute_pJ");
          },
          "pJ per MAC.");

  py::class_<Arch, std::shared_ptr<Arch>>(
      m, "Arch",
      "An accelerator: storage levels innermost first (storage[0] is next to the MACs), and\n"
      "the arithmetic level. Change a level in place: arch.level('GlobalBuffer').size_words = n.")
      .def_readwrite("name", &Arch::name)
      .def_property_readonly(
          "storage",
          [](const std::shared_ptr<Arch>& arch) {
            std::vector<LevelView> views;
            for (std::size_t i = 0; i < arch->storage.size(); ++i) views.push_back({arch, i});
            return views;
          },
          "The storage levels, innermost first (live views).")
      .def(
          "level",
          [](const std::shared_ptr<Arch>& arch, const std::string& name) {
            const int index = arch->StorageIndex(name);
            if (index < 0)
              throw py::key_error("architecture '" + arch->name + "' has no storage level '" +
                                  name + "'");
            return LevelView{arch, static_cast<std::size_t>(index)};
          },
          py::arg("name"), "The storage level with this name (a live view).")
      .def_property_readonly("arithmetic",
                             [](const std::shared_ptr<Arch>& arch) { return ArithmeticView{arch}; })
      .def("to_dict", &ArchDict, "name, storage (innermost first), arithmetic.")
      .def(
          "copy", [](const Arch& a) { return std::make_shared<Arch>(a); }, "An independent copy.")
      .def("__repr__", [](const Arch& a) {
        std::string text = "<tessel.Arch '" + a.name + "':";
        for (auto it = a.storage.rbegin(); it != a.storage.rend(); ++it) text += " " + it->name;
        return text + " " + a.arithmetic.name + ">";
      });
}

}  // namespace

void RequireWellFormed(const Problem& problem, const Arch& arch, const Mapping& mapping) {
  if (arch.storage.empty()) throw UserError("invalid mapping: the architecture has no storage");
  const std::string why = CheckMappingStructure(problem, arch, mapping);
  if (!why.empty()) throw UserError("invalid mapping: " + why);
}

void RequireConstraintsFit(const MapConstraints& constraints, const Arch& arch) {
  if (!constraints.levels.empty() && constraints.levels.size() != arch.storage.size())
    throw UserError("the constraints have " + std::to_string(constraints.levels.size()) +
                    " levels but the architecture has " + std::to_string(arch.storage.size()) +
                    " storage levels");
}

void BindMapping(py::module_& m);
void BindInputs(py::module_& m);

void BindTypes(py::module_& m) {
  BindProblem(m);
  BindArch(m);
  BindMapping(m);
  BindInputs(m);
}

}  // namespace tessel::python
