#include "tessel/common/parallel.h"

#include <exception>
#include <thread>
#include <vector>

namespace tessel {

void RunOnThreads(int threads, const std::function<void(int worker)>& body) {
  if (threads <= 1) {
    body(0);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  auto run = [&](int worker) {
    try {
      body(worker);
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads - 1);
    for (int worker = 1; worker < threads; ++worker) pool.emplace_back(run, worker);
    run(0);
  }  // jthreads join here
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace tessel
