// The extension module tessel._tessel; the package tessel (tessel/__init__.py) wraps it.
#include <pybind11/pybind11.h>

#include "convert.h"
#include "functions.h"
#include "types.h"

PYBIND11_MODULE(_tessel, m) {
  m.doc() = "tessel's C++ core (use the tessel package, not this module directly).";
  tessel::python::RegisterErrors(m);
  tessel::python::BindTypes(m);
  tessel::python::BindFunctions(m);
  tessel::python::BindTune(m);
}
