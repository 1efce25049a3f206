// spiking.cc — runs the spiking loops that apical compiles at run time (src/equations/cpp.ts): it
// loads a generated shared library with dlopen and calls its C functions on the memory of the typed
// arrays, splitting the work between the caller and the helper thread (threadpool.h).
//
// The arrays of a loop are bound once (bindUpdate, bindStatements, bindDeliver: checked, kept alive),
// so that a step's calls pass only the step, the count and the spikes; bindStep joins a population's
// update, reset and deliveries so that step() runs its whole step in one call from JavaScript. A generated library exports
// some of (every pointer is a typed array's memory):
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
#include <vector>

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
constexpr int32_t kSplitNeurons = 8192;
constexpr uint64_t kSplitSynapses = 1024;
constexpr size_t kMaxArrays = 64;

struct Binding;

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
  const Binding* bound(size_t i) {
    void* data = nullptr;
    if (!failed_ && napi_get_value_external(env_, argv_[i], &data) != napi_ok) fail("binding", "must be a binding");
    return static_cast<const Binding*>(data);
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

/**
 * The arrays a loop runs on, checked once and kept alive (a reference to each) for as long as the
 * binding lives: the hot calls then pass only what changes from step to step.
 */
struct Binding {
  napi_env env;
  Library* library;
  std::vector<napi_ref> references;
  double* state[kMaxArrays];  // update, statements: the population's variables
  double* synapse[kMaxArrays];
  double* pre[kMaxArrays];
  double* target[kMaxArrays];
  int32_t* refractory = nullptr;
  uint32_t* stream = nullptr;
  uint32_t* spikes = nullptr;
  const uint32_t* rowStart = nullptr;
  const uint32_t* post = nullptr;
  int64_t n = 0;  // neurons (update, statements) or presynaptic neurons (deliver)
  int64_t nPost = 0;
  int64_t synapses = 0;
};

/** Drops a binding's references and the binding (a Binding or a StepBinding). */
template <typename B>
void unbind(napi_env env, void* data, void*) {
  B* binding = static_cast<B*>(data);
  for (napi_ref reference : binding->references) napi_delete_reference(env, reference);
  delete binding;
}

/** Keeps the call's arguments alive in `binding` (the library, every array, bound bindings), as an external. */
template <typename B>
napi_value finishBinding(napi_env env, napi_callback_info info, B* binding) {
  size_t argc = 12;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  for (size_t k = 0; k < argc; ++k) {
    napi_valuetype type;
    napi_typeof(env, argv[k], &type);
    if (type != napi_object && type != napi_external) continue;
    napi_ref reference;
    napi_create_reference(env, argv[k], 1, &reference);
    binding->references.push_back(reference);
  }
  napi_value external;
  napi_create_external(env, binding, unbind<B>, nullptr, &external);
  return external;
}

Binding* binding(napi_env env, napi_value value) {
  void* data = nullptr;
  if (napi_get_value_external(env, value, &data) != napi_ok) napi_throw_type_error(env, nullptr, "spiking: expected a binding");
  return static_cast<Binding*>(data);
}

struct UpdateJob {
  const Binding* b;
  int32_t n;
  int64_t step;
  int32_t bounds[3];
  int32_t counts[2];
};

void updateChunk(void* ctx, int chunk) {
  UpdateJob& job = *static_cast<UpdateJob*>(ctx);
  const int32_t begin = job.bounds[chunk];
  const Binding& b = *job.b;
  job.counts[chunk] = b.library->update(begin, job.bounds[chunk + 1], job.n, b.state, b.refractory, job.step, b.stream, b.spikes + begin);
}

/** bindUpdate(library, n, state, refractory, stream, spikes): a binding for update(). */
napi_value BindUpdate(napi_env env, napi_callback_info info) {
  Call call(env, info, "bindUpdate", 6);
  Binding* b = new Binding();
  b->library = call.library(0);
  b->n = call.integer(1, "n");
  call.arrays(2, b->n, b->state, "state");
  b->refractory = call.array<int32_t>(3, napi_int32_array, b->n, "refractory");
  b->stream = call.array<uint32_t>(4, napi_uint32_array, 4, "stream");
  b->spikes = call.array<uint32_t>(5, napi_uint32_array, b->n, "spikes");
  if (call.ok() && !b->library->update) napi_throw_error(env, nullptr, "spiking.bindUpdate: the library has no apical_update");
  else if (call.ok()) return finishBinding(env, info, b);
  delete b;
  return nullptr;
}

/** The update of neurons 0…n−1 of binding `b` at `step` (on both cores when allowed): the spike count. */
int32_t runUpdate(const Binding* b, int32_t n, int64_t step) {
  UpdateJob job{b, n, step, {0, n, n}, {0, 0}};
  if (b->library->parallel && n >= kSplitNeurons && helperAllowed()) {
    job.bounds[1] = (n / 2 + 63) & ~63;
    runChunks(updateChunk, &job, 2);
    std::memmove(b->spikes + job.counts[0], b->spikes + job.bounds[1], sizeof(uint32_t) * job.counts[1]);
    return job.counts[0] + job.counts[1];
  }
  updateChunk(&job, 0);
  return job.counts[0];
}

/** update(binding, n, step): the number of neurons that spiked (their indices in the bound spikes). */
napi_value Update(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  const Binding* b = binding(env, argv[0]);
  int32_t n = 0;
  int64_t step = 0;
  if (!b || napi_get_value_int32(env, argv[1], &n) != napi_ok || napi_get_value_int64(env, argv[2], &step) != napi_ok || n < 0 || n > b->n) {
    if (b) napi_throw_range_error(env, nullptr, "spiking.update: n and step must be numbers, n at most the bound size");
    return nullptr;
  }
  return number(env, runUpdate(b, n, step));
}

/** bindStatements(library, n, state, stream): a binding for statements(). */
napi_value BindStatements(napi_env env, napi_callback_info info) {
  Call call(env, info, "bindStatements", 4);
  Binding* b = new Binding();
  b->library = call.library(0);
  b->n = call.integer(1, "n");
  call.arrays(2, b->n, b->state, "state");
  b->stream = call.array<uint32_t>(3, napi_uint32_array, 4, "stream");
  if (call.ok() && !b->library->statements) napi_throw_error(env, nullptr, "spiking.bindStatements: the library has no apical_statements");
  else if (call.ok()) return finishBinding(env, info, b);
  delete b;
  return nullptr;
}

/** statements(binding, indices, count, step): the statements over indices[0…count). */
napi_value Statements(napi_env env, napi_callback_info info) {
  Call call(env, info, "statements", 4);
  const Binding* b = call.bound(0);
  const int64_t count = call.integer(2, "count");
  const uint32_t* indices = call.array<uint32_t>(1, napi_uint32_array, count, "indices");
  const int64_t step = call.integer(3, "step");
  if (!call.ok()) return nullptr;
  for (int64_t s = 0; s < count; ++s) {
    if (indices[s] >= b->n) {
      napi_throw_range_error(env, nullptr, "spiking.statements: an index is out of range");
      return nullptr;
    }
  }
  b->library->statements(indices, static_cast<int32_t>(count), static_cast<int32_t>(b->n), b->state, step, b->stream);
  return nullptr;
}

struct DeliverJob {
  const Binding* b;
  const uint32_t* spikes;
  int32_t count;
  uint32_t bounds[3];
};

void deliverChunk(void* ctx, int chunk) {
  const DeliverJob& job = *static_cast<const DeliverJob*>(ctx);
  const Binding& b = *job.b;
  b.library->deliver(job.spikes, job.count, b.rowStart, b.post, b.synapse, b.pre, b.target, job.bounds[chunk], job.bounds[chunk + 1]);
}

/**
 * bindDeliver(library, rowStart, post, synapse, pre, target, nPre, nPost, synapses): a binding
 * for deliver() over rows rowStart[i] … rowStart[i+1] (i < nPre) of synapse indices below
 * `synapses` whose targets post[k] are below nPost (the Synapses' own arrays, built sorted).
 */
napi_value BindDeliver(napi_env env, napi_callback_info info) {
  Call call(env, info, "bindDeliver", 9);
  Binding* b = new Binding();
  b->library = call.library(0);
  b->n = call.integer(6, "nPre");
  b->nPost = call.integer(7, "nPost");
  b->synapses = call.integer(8, "synapses");
  b->rowStart = call.array<uint32_t>(1, napi_uint32_array, b->n + 1, "rowStart");
  b->post = call.array<uint32_t>(2, napi_uint32_array, b->synapses, "post");
  call.arrays(3, b->synapses, b->synapse, "synapse");
  call.arrays(4, b->n, b->pre, "pre");
  call.arrays(5, b->nPost, b->target, "target");
  if (call.ok() && !b->library->deliver) napi_throw_error(env, nullptr, "spiking.bindDeliver: the library has no apical_deliver");
  else if (call.ok() && b->n >= 0 && b->rowStart[b->n] <= b->synapses) return finishBinding(env, info, b);
  else if (call.ok()) napi_throw_range_error(env, nullptr, "spiking.bindDeliver: rowStart points past the synapses");
  delete b;
  return nullptr;
}

/** The on_pre statements of binding `b` for spikes[0…count), all below its nPre (on both cores when allowed). */
void runDeliver(const Binding* b, const uint32_t* spikes, int32_t count) {
  uint64_t work = 0;
  if (b->library->parallel) {
    for (int32_t s = 0; s < count; ++s) work += b->rowStart[spikes[s] + 1] - b->rowStart[spikes[s]];
  }
  const uint32_t all = static_cast<uint32_t>(b->nPost);
  DeliverJob job{b, spikes, count, {0, all, all}};
  if (b->library->parallel && work >= kSplitSynapses && helperAllowed()) {
    job.bounds[1] = all / 2;
    runChunks(deliverChunk, &job, 2);
  } else {
    deliverChunk(&job, 0);
  }
}

/** deliver(binding, spikes, count): the on_pre statements of the rows of spikes[0…count). */
napi_value Deliver(napi_env env, napi_callback_info info) {
  Call call(env, info, "deliver", 3);
  const Binding* b = call.bound(0);
  const int64_t count = call.integer(2, "count");
  const uint32_t* spikes = call.array<uint32_t>(1, napi_uint32_array, count, "spikes");
  if (!call.ok()) return nullptr;
  for (int64_t s = 0; s < count; ++s) {
    if (spikes[s] >= b->n) {
      napi_throw_range_error(env, nullptr, "spiking.deliver: a spike is out of range");
      return nullptr;
    }
  }
  runDeliver(b, spikes, static_cast<int32_t>(count));
  return nullptr;
}

/**
 * A whole step of one population in one call: the bound update, every bound delivery of its spikes
 * (in the order given), and, first, the reset of the previous step's spikes, deferred to this call
 * so that a step crosses from JavaScript into the addon once (update, deliveries and resets keep
 * Brian2's order: the spikes' reset still comes after their delivery and before the next update).
 */
struct StepBinding {
  const Binding* update;
  const Binding* reset;
  std::vector<const Binding*> deliveries;
  std::vector<napi_ref> references;
};

/**
 * bindStep(update, reset, deliveries): a binding for step() from an update binding, a statements
 * binding (the model's reset) and an array of deliver bindings whose presynaptic neurons are the
 * update's (each kept alive as long as it lives).
 */
napi_value BindStep(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  StepBinding* step = new StepBinding();
  void* data = nullptr;
  uint32_t count = 0;
  bool ok = argc == 3 && napi_get_value_external(env, argv[0], &data) == napi_ok;
  step->update = static_cast<const Binding*>(data);
  ok = ok && napi_get_value_external(env, argv[1], &data) == napi_ok;
  step->reset = static_cast<const Binding*>(data);
  ok = ok && step->update->library->update && step->reset->library->statements && step->reset->n >= step->update->n;
  ok = ok && napi_get_array_length(env, argv[2], &count) == napi_ok;
  for (uint32_t k = 0; ok && k < count; ++k) {
    napi_value element;
    napi_get_element(env, argv[2], k, &element);
    ok = napi_get_value_external(env, element, &data) == napi_ok;
    const Binding* delivery = static_cast<const Binding*>(data);
    ok = ok && delivery->library->deliver && delivery->n >= step->update->n;
    step->deliveries.push_back(delivery);
    napi_ref reference;
    if (ok && napi_create_reference(env, element, 1, &reference) == napi_ok) step->references.push_back(reference);
  }
  if (ok) return finishBinding(env, info, step);
  unbind<StepBinding>(env, step, nullptr);
  napi_throw_type_error(env, nullptr, "spiking.bindStep: expected an update binding, a reset binding over as many neurons and an array of deliver bindings from them");
  return nullptr;
}

/**
 * step(binding, n, step, resetCount, resetStep): resets the first resetCount neurons of the bound
 * spikes (the previous step's, at resetStep), updates neurons 0…n−1 at `step`, delivers their spikes
 * through every bound delivery; returns the number that spiked (their indices in the bound spikes).
 */
napi_value Step(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  int32_t n = 0, resetCount = 0;
  int64_t step = 0, resetStep = 0;
  const bool read = argc == 5 && napi_get_value_external(env, argv[0], &data) == napi_ok && napi_get_value_int32(env, argv[1], &n) == napi_ok &&
                    napi_get_value_int64(env, argv[2], &step) == napi_ok && napi_get_value_int32(env, argv[3], &resetCount) == napi_ok &&
                    napi_get_value_int64(env, argv[4], &resetStep) == napi_ok;
  const StepBinding* b = static_cast<const StepBinding*>(data);
  if (!read || n < 0 || n > b->update->n || resetCount < 0 || resetCount > b->update->n) {
    napi_throw_range_error(env, nullptr, "spiking.step: expected a step binding, n at most its size, step, resetCount at most its size and resetStep");
    return nullptr;
  }
  const Binding* update = b->update;
  if (resetCount > 0) b->reset->library->statements(update->spikes, resetCount, static_cast<int32_t>(b->reset->n), b->reset->state, resetStep, b->reset->stream);
  const int32_t count = runUpdate(update, n, step);
  if (count > 0) {
    for (const Binding* delivery : b->deliveries) runDeliver(delivery, update->spikes, count);
  }
  return number(env, count);
}

}  // namespace

napi_value spikingObject(napi_env env) {
  napi_property_descriptor properties[] = {
      {"load", nullptr, Load, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"bindUpdate", nullptr, BindUpdate, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"update", nullptr, Update, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"bindStatements", nullptr, BindStatements, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"statements", nullptr, Statements, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"bindDeliver", nullptr, BindDeliver, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"deliver", nullptr, Deliver, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"bindStep", nullptr, BindStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"step", nullptr, Step, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_value object;
  napi_create_object(env, &object);
  napi_define_properties(env, object, sizeof properties / sizeof properties[0], properties);
  return object;
}

}  // namespace apical
