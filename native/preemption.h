// preemption.h — when a caller should stop handing chunks to a helper thread that keeps being
// preempted (shared by threadpool.cc and, for the WebAssembly build, wasm/threads.cc).
//
// If the caller waits long for the helper's last chunk, the helper was preempted. A single such
// wait is usually one of V8's own background threads (GC, compiler) taking the other core for a
// moment, and is ignored; a second one within kPreemptionWindow jobs means another process is busy
// there, and the next jobs then run on the caller alone, which is faster than waiting out scheduler
// time slices — 200 jobs at first, doubling (up to 12 800) each time the helper is again found
// preempted right after. Results are unaffected (every chunk is computed the same way on either
// thread). Owned by one caller thread at a time: not thread-safe.
#pragma once
#include <algorithm>
#include <cstdint>

namespace apical {

class PreemptionPolicy {
 public:
  /** True if this job should run on the caller alone (and counts it off the solo stretch). */
  bool runSolo() {
    if (soloCalls_ == 0) return false;
    --soloCalls_;
    return true;
  }

  /** After a job run with the helper: whether the caller waited long for the helper's last chunk. */
  void finished(bool longWait) {
    ++jobCount_;
    bool preempted = false;
    if (longWait) {
      preempted = lastLongWait_ != 0 && jobCount_ - lastLongWait_ <= kPreemptionWindow;
      lastLongWait_ = jobCount_;
    }
    if (preempted) {
      soloPeriod_ = soloPeriod_ == 0 ? kMinSoloJobs : std::min(2 * soloPeriod_, kMaxSoloJobs);
      soloCalls_ = soloPeriod_;
    } else {
      soloPeriod_ = 0;
    }
  }

 private:
  static constexpr uint64_t kPreemptionWindow = 64;
  static constexpr uint32_t kMinSoloJobs = 200;
  static constexpr uint32_t kMaxSoloJobs = 12800;
  uint32_t soloCalls_ = 0;     // jobs still to run without the helper
  uint32_t soloPeriod_ = 0;    // length of the last solo stretch (doubles while preemption persists)
  uint64_t jobCount_ = 0;      // jobs run with the helper
  uint64_t lastLongWait_ = 0;  // jobCount_ at the last long wait (0: none yet)
};

}  // namespace apical
