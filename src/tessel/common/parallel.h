// Running one body on several threads, the calling thread included.
#pragma once

#include <functional>

namespace tessel {

// Calls body(worker) for worker = 0 .. threads-1 concurrently (worker 0 on the calling thread)
// and waits for all. threads < 1 counts as 1. If bodies throw, the first exception (by worker
// number) is rethrown after every thread has finished.
void RunOnThreads(int threads, const std::function<void(int worker)>& body);

}  // namespace tessel
