#include "convert.h"

#include <string>

#include "tessel/common/cancel.h"
#include "tessel/common/error.h"

namespace tessel::python {

py::object ToPython(const nlohmann::ordered_json& json) {
  using Type = nlohmann::ordered_json::value_t;
  switch (json.type()) {
    case Type::null:
    case Type::discarded:
      return py::none();
    case Type::boolean:
      return py::bool_(json.get<bool>());
    case Type::number_integer:
      return py::reinterpret_steal<py::object>(PyLong_FromLongLong(json.get<long long>()));
    case Type::number_unsigned:
      return py::reinterpret_steal<py::object>(
          PyLong_FromUnsignedLongLong(json.get<unsigned long long>()));
    case Type::number_float:
      return py::reinterpret_steal<py::object>(PyFloat_FromDouble(json.get<double>()));
    case Type::string: {
      const std::string& text = json.get_ref<const std::string&>();
      return py::str(text.data(), text.size());
    }
    // Arrays and objects through the C API: pybind11's item proxies cost about as much as the
    // evaluation itself on tessel.evaluate's dict (bench/python_eval.py).
    case Type::array: {
      auto list = py::reinterpret_steal<py::object>(PyList_New(json.size()));
      if (!list) throw py::error_already_set();
      Py_ssize_t i = 0;
      for (const auto& item : json)  // PyList_SET_ITEM steals the reference
        PyList_SET_ITEM(list.ptr(), i++, ToPython(item).release().ptr());
      return list;
    }
    case Type::object: {
      auto dict = py::reinterpret_steal<py::object>(PyDict_New());
      if (!dict) throw py::error_already_set();
      for (auto it = json.begin(); it != json.end(); ++it) {
        const std::string& key = it.key();
        auto name = py::reinterpret_steal<py::object>(
            PyUnicode_FromStringAndSize(key.data(), static_cast<Py_ssize_t>(key.size())));
        if (!name) throw py::error_already_set();
        py::object value = ToPython(it.value());
        if (PyDict_SetItem(dict.ptr(), name.ptr(), value.ptr()) != 0) throw py::error_already_set();
      }
      return dict;
    }
    case Type::binary:
      break;
  }
  throw std::runtime_error("JSON value of an unexpected type");
}

void RegisterErrors(py::module_& m) {
  // Never destroyed: it must outlive the interpreter's last use of it.
  static auto& input_error = *new py::exception<UserError>(m, "InputError", PyExc_ValueError);
  input_error.doc() =
      "Bad input: the message is the CLI's (`file:line:col: what is wrong`); `file`, `line` and "
      "`column` say where (None when unknown).";
  input_error.attr("file") = py::none();
  input_error.attr("line") = py::none();
  input_error.attr("column") = py::none();
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const UserError& e) {
      py::object instance = py::handle(input_error.ptr())(py::str(e.what()));
      const SourceLocation& where = e.where();
      if (!where.file.empty()) instance.attr("file") = where.file;
      if (where.line > 0) instance.attr("line") = where.line;
      if (where.col > 0) instance.attr("column") = where.col;
      PyErr_SetObject(input_error.ptr(), instance.ptr());
    } catch (const Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });
}

}  // namespace tessel::python
