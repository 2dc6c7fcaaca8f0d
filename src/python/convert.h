// Glue shared by the binding files: JSON -> Python objects, the error translation, and running
// long work off the GIL with Ctrl-C turned into a stop request.
#pragma once

#include <pybind11/pybind11.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <thread>
#include <type_traits>

namespace tessel::python {

namespace py = pybind11;

// A JSON value as plain Python data: dict (keys in the JSON's order), list, str, int, float,
// bool, None. Numbers keep their exact value: the dict equals json.loads of DumpJson(json).
py::object ToPython(const nlohmann::ordered_json& json);

// Registers tessel.InputError (a ValueError subclass with file, line, column attributes) and the
// translation UserError -> InputError, Interrupted -> KeyboardInterrupt, other std::exception ->
// RuntimeError (pybind11's default).
void RegisterErrors(py::module_& m);

// How often the calling thread looks for Ctrl-C while the work runs.
inline constexpr std::chrono::milliseconds kSignalPoll{50};

// Runs work(stop_token) on a worker thread with the GIL released; the calling thread (GIL held
// for each check) calls PyErr_CheckSignals every kSignalPoll. On a pending KeyboardInterrupt (or
// any signal handler raising) it requests the stop, joins the worker and re-raises the Python
// error; the worker's result or exception is then dropped. Otherwise the worker's result is
// returned, or its exception rethrown here. `work` must not touch Python objects.
template <class Work>
auto RunInterruptible(Work&& work) -> std::invoke_result_t<Work, std::stop_token> {
  using Result = std::invoke_result_t<Work, std::stop_token>;
  std::stop_source source;
  std::optional<Result> result;
  std::exception_ptr error;
  std::mutex mutex;
  std::condition_variable finished_cv;
  bool finished = false;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result.emplace(work(source.get_token()));
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      finished = true;
      finished_cv.notify_all();
    });
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (finished_cv.wait_for(lock, kSignalPoll, [&] { return finished; })) break;
      }
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        interrupted = true;
        source.request_stop();
        break;
      }
    }
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

}  // namespace tessel::python
