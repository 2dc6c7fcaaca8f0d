// tessel.load, evaluate, map_layer, map_network, schedule, tune: the C++ side (_tessel._*), with
// the argument handling in the pure-Python layer (tessel/__init__.py).
#pragma once

#include <pybind11/pybind11.h>

namespace tessel::python {

void BindFunctions(pybind11::module_& m);
// tessel._tune (tune_function.cc).
void BindTune(pybind11::module_& m);

}  // namespace tessel::python
