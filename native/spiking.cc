// spiking.cc — runs the spiking loops that apical compiles at run time (src/equations/cpp.ts): it
// loads a generated shared library with dlopen and calls its C functions on the memory of the typed
// arrays, splitting the work between the caller and the helper thread (threadpool.h).
//
// A generated library exports some of (every pointer is a typed array's memory):
//   int32_t apical_update(begin, end, n, state, refractory, step, stream, spikes)
//       state update, refractoriness and threshold of neurons begin…end−1; the indices of those
//       that spiked go to spikes[0…), ascending; returns their count;
//   void apical_statements(indices, count, n, state, step, stream)      statements over listed neurons;
//   void apical_deliver(spikes, count, rowStart, post, synapse, pre, target, lo, hi)
//       on_pre statements of every synapse of the spiking rows whose target j is in [lo, hi);
//   int32_t apical_parallel                  1 when the update and the delivery may be split.
//
// Splitting keeps every result bit-identical to one thread: neurons are cut into two halves (each
// half's spikes are collected apart and then joined in index order), synapses by target index (each
// target's statements still run in spike order, then synapse order), and a library whose code draws
// random numbers or writes presynaptic variables says apical_parallel = 0.
#include "spiking.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "threadpool.h"

namespace apical {
namespace {

using UpdateFn = int32_t (*)(int32_t, int32_t, int32_t, double* const*, int32_t*, int64_t, uint32_t*, uint32_t*);
using StatementsFn = void (*)(const uint32_t*, int32_t, int32_t, double* const*, int64_t, uint32_t*);
using DeliverFn = void (*)(const uint32_t*, int32_t, const uint32_t*, const uint32_t*, double* const*, double* const*, double* const*, uint32_t, uint32_t);

struct Library {
  void* handle;
  UpdateFn update;
  StatementsFn statements;
  DeliverFn deliver;
  bool parallel;
};

/** Below these sizes one thread is faster than handing half to the helper. */
constexpr int32_t kSplitNeurons = 16384;
constexpr uint64_t kSplitSynapses = 8192;
constexpr size_t kMaxArrays = 64;

/** Reads a call's arguments, throwing a TypeError naming the op and argument on a wrong one. */
class Call {
 public:
  Call(napi_env env, napi_callback_info info, const char* op, size_t expected) : env_(env), op_(op) {
    argc_ = 12;
    napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr);
    if (argc_ < expected) fail("", "missing arguments");
  }
  bool ok() const { return !failed_; }

  Library* library(size_t i) {
    void* data = nullptr;
    if (!failed_ && napi_get_value_external(env_, argv_[i], &data) != napi_ok) fail("library", "must be a loaded library");
    return static_cast<Library*>(data);
  }
  int64_t integer(size_t i, const char* name) {
    int64_t value = 0;
    if (!failed_ && napi_get_value_int64(env_, argv_[i], &value) != napi_ok) fail(name, "must be a number");
    return value;
  }
  /** A typed array of `type` with at least `length` elements. */
  template <typename T>
  T* array(size_t i, napi_typedarray_type type, size_t length, const char* name) {
    return static_cast<T*>(typed(argv_[i], type, length, name));
  }
  /** A JavaScript array of Float64Arrays, each with at least `length` elements, as pointers. */
  size_t arrays(size_t i, size_t length, double** out, const char* name) {
    uint32_t count = 0;
    if (failed_) return 0;
    if (napi_get_array_length(env_, argv_[i], &count) != napi_ok || count > kMaxArrays) return fail(name, "must be an array of at most 64 Float64Arrays"), 0;
    for (uint32_t k = 0; k < count; ++k) {
      napi_value element;
      napi_get_element(env_, argv_[i], k, &element);
      out[k] = static_cast<double*>(typed(element, napi_float64_array, length, name));
    }
    return count;
  }

 private:
  void* typed(napi_value value, napi_typedarray_type type, size_t length, const char* name) {
    if (failed_) return nullptr;
    bool is = false;
    napi_is_typedarray(env_, value, &is);
    napi_typedarray_type actual;
    size_t size = 0;
    void* data = nullptr;
    if (!is || napi_get_typedarray_info(env_, value, &actual, &size, &data, nullptr, nullptr) != napi_ok || actual != type) {
      fail(name, "has the wrong type");
      return nullptr;
    }
    if (size < length) fail(name, "is too short");
    return data;
  }
  void fail(const char* name, const char* what) {
    if (failed_) return;
    failed_ = true;
    char message[200];
    std::snprintf(message, sizeof message, "spiking.%s: %s %s", op_, name, what);
    napi_throw_type_error(env_, nullptr, message);
  }

  napi_env env_;
  const char* op_;
  size_t argc_;
  napi_value argv_[12];
  bool failed_ = false;
};

napi_value number(napi_env env, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  return v;
}

void unload(napi_env, void* data, void*) {
  Library* library = static_cast<Library*>(data);
  dlclose(library->handle);
  delete library;
}

/** load(path): the generated library at `path`, or a thrown Error with dlopen's message. */
napi_value Load(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char path[4096];
  size_t length = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &length) != napi_ok) {
    napi_throw_type_error(env, nullptr, "spiking.load: path must be a string");
    return nullptr;
  }
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    napi_throw_error(env, nullptr, dlerror());
    return nullptr;
  }
  const int32_t* parallel = reinterpret_cast<const int32_t*>(dlsym(handle, "apical_parallel"));
  Library* library = new Library{handle, reinterpret_cast<UpdateFn>(dlsym(handle, "apical_update")),
                                 reinterpret_cast<StatementsFn>(dlsym(handle, "apical_statements")),
                                 reinterpret_cast<DeliverFn>(dlsym(handle, "apical_deliver")), parallel && *parallel == 1};
  napi_value external;
  napi_create_external(env, library, unload, nullptr, &external);
  return external;
}

struct UpdateJob {
  const Library* library;
  int32_t n;
  double* const* state;
  int32_t* refractory;
  int64_t step;
  uint32_t* stream;
  uint32_t* spikes;
  int32_t bounds[3];
  int32_t counts[2];
};

void updateChunk(void* ctx, int chunk) {
  UpdateJob& job = *static_cast<UpdateJob*>(ctx);
  const int32_t begin = job.bounds[chunk];
  job.counts[chunk] = job.library->update(begin, job.bounds[chunk + 1], job.n, job.state, job.refractory, job.step, job.stream, job.spikes + begin);
}

/** update(library, n, state, refractory, step, stream, spikes): the number of neurons that spiked. */
napi_value Update(napi_env env, napi_callback_info info) {
  Call call(env, info, "update", 7);
  double* state[kMaxArrays];
  Library* library = call.library(0);
  const int32_t n = static_cast<int32_t>(call.integer(1, "n"));
  call.arrays(2, n, state, "state");
  UpdateJob job{library, n, state, call.array<int32_t>(3, napi_int32_array, n, "refractory"), call.integer(4, "step"),
                call.array<uint32_t>(5, napi_uint32_array, 4, "stream"), call.array<uint32_t>(6, napi_uint32_array, n, "spikes"), {0, n, n}, {0, 0}};
  if (!call.ok()) return nullptr;
  if (!library->update) {
    napi_throw_error(env, nullptr, "spiking.update: the library has no apical_update");
    return nullptr;
  }
  if (library->parallel && n >= kSplitNeurons && helperAllowed()) {
    job.bounds[1] = (n / 2 + 63) & ~63;
    runChunks(updateChunk, &job, 2);
    std::memmove(job.spikes + job.counts[0], job.spikes + job.bounds[1], sizeof(uint32_t) * job.counts[1]);
    return number(env, job.counts[0] + job.counts[1]);
  }
  updateChunk(&job, 0);
  return number(env, job.counts[0]);
}

/** statements(library, indices, count, n, state, step, stream). */
napi_value Statements(napi_env env, napi_callback_info info) {
  Call call(env, info, "statements", 7);
  double* state[kMaxArrays];
  Library* library = call.library(0);
  const int64_t count = call.integer(2, "count");
  const int32_t n = static_cast<int32_t>(call.integer(3, "n"));
  const uint32_t* indices = call.array<uint32_t>(1, napi_uint32_array, count, "indices");
  call.arrays(4, n, state, "state");
  const int64_t step = call.integer(5, "step");
  uint32_t* stream = call.array<uint32_t>(6, napi_uint32_array, 4, "stream");
  if (!call.ok()) return nullptr;
  if (!library->statements) {
    napi_throw_error(env, nullptr, "spiking.statements: the library has no apical_statements");
    return nullptr;
  }
  for (int64_t s = 0; s < count; ++s) {
    if (indices[s] >= static_cast<uint32_t>(n)) {
      napi_throw_range_error(env, nullptr, "spiking.statements: an index is out of range");
      return nullptr;
    }
  }
  library->statements(indices, static_cast<int32_t>(count), n, state, step, stream);
  return nullptr;
}

struct DeliverJob {
  const Library* library;
  const uint32_t* spikes;
  int32_t count;
  const uint32_t* rowStart;
  const uint32_t* post;
  double* const* synapse;
  double* const* pre;
  double* const* target;
  uint32_t bounds[3];
};

void deliverChunk(void* ctx, int chunk) {
  const DeliverJob& job = *static_cast<const DeliverJob*>(ctx);
  job.library->deliver(job.spikes, job.count, job.rowStart, job.post, job.synapse, job.pre, job.target, job.bounds[chunk], job.bounds[chunk + 1]);
}

/**
 * deliver(library, spikes, count, rowStart, post, synapse, pre, target, nPre, nPost, synapses):
 * rows rowStart[i] … rowStart[i+1] of the spiking neurons i (< nPre), synapse indices below
 * `synapses`, targets post[k] below nPost (rowStart and post are the Synapses' own, built sorted).
 */
napi_value Deliver(napi_env env, napi_callback_info info) {
  Call call(env, info, "deliver", 11);
  double* synapse[kMaxArrays];
  double* pre[kMaxArrays];
  double* target[kMaxArrays];
  Library* library = call.library(0);
  const int64_t count = call.integer(2, "count");
  const int64_t nPre = call.integer(8, "nPre");
  const int64_t nPost = call.integer(9, "nPost");
  const int64_t synapses = call.integer(10, "synapses");
  const uint32_t* spikes = call.array<uint32_t>(1, napi_uint32_array, count, "spikes");
  const uint32_t* rowStart = call.array<uint32_t>(3, napi_uint32_array, nPre + 1, "rowStart");
  const uint32_t* post = call.array<uint32_t>(4, napi_uint32_array, synapses, "post");
  call.arrays(5, synapses, synapse, "synapse");
  call.arrays(6, nPre, pre, "pre");
  call.arrays(7, nPost, target, "target");
  if (!call.ok()) return nullptr;
  if (!library->deliver) {
    napi_throw_error(env, nullptr, "spiking.deliver: the library has no apical_deliver");
    return nullptr;
  }
  uint64_t work = 0;
  for (int64_t s = 0; s < count; ++s) {
    if (spikes[s] >= nPre || rowStart[spikes[s] + 1] > synapses) {
      napi_throw_range_error(env, nullptr, "spiking.deliver: a spike or row is out of range");
      return nullptr;
    }
    work += rowStart[spikes[s] + 1] - rowStart[spikes[s]];
  }
  const uint32_t all = static_cast<uint32_t>(nPost);
  DeliverJob job{library, spikes, static_cast<int32_t>(count), rowStart, post, synapse, pre, target, {0, all, all}};
  if (library->parallel && work >= kSplitSynapses && helperAllowed()) {
    job.bounds[1] = all / 2;
    runChunks(deliverChunk, &job, 2);
  } else {
    deliverChunk(&job, 0);
  }
  return nullptr;
}

}  // namespace

napi_value spikingObject(napi_env env) {
  napi_property_descriptor properties[] = {
      {"load", nullptr, Load, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"update", nullptr, Update, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"statements", nullptr, Statements, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"deliver", nullptr, Deliver, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_value object;
  napi_create_object(env, &object);
  napi_define_properties(env, object, sizeof properties / sizeof properties[0], properties);
  return object;
}

}  // namespace apical
