// binding.cc — the Node-API surface of the native kernels: argument checking and dispatch.
//
// Hand-written against the C Node-API (node_api.h, no npm dependency) because it sits on the hot
// path: every kernel call from JavaScript crosses it, so it does no allocation, only type and
// length checks. Each export has exactly the name and argument list of the `Kernels` interface
// method in src/kernels/kernels.ts. Wrong types throw a TypeError, bad sizes or too-short arrays a
// RangeError, each naming the op and the argument — a bad call never reaches the C++ kernels.
//
// The module exports one object of these functions per instruction set that this CPU runs
// (`paths.avx512`, `paths.avx2`, …; each function carries its KernelTable as callback data), the
// names of those sets fastest first (`isas`), every set compiled in (`compiled`) and what the CPU
// has (`cpu`). src/kernels/native.ts picks one (APICAL_ISA forces it). `spiking` runs the spiking
// loops compiled at run time (spiking.cc).
#include <node_api.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "dispatch.h"
#include "spiking.h"
#include "threadpool.h"

namespace apical {
namespace {

constexpr size_t kMaxArgs = 12;

/** The arguments of one call, with helpers that check and convert them (throwing on failure). */
class Args {
 public:
  Args(napi_env env, napi_callback_info info, const char* op, size_t expected) : env_(env), op_(op) {
    argc_ = kMaxArgs;
    void* data = nullptr;
    if (napi_get_cb_info(env, info, &argc_, argv_, nullptr, &data) != napi_ok) {
      fail(false, "could not read the arguments", "");
      return;
    }
    table_ = static_cast<const KernelTable*>(data);
    if (argc_ < expected) {
      char msg[160];
      std::snprintf(msg, sizeof msg, "%s: expected %zu arguments, got %zu", op, expected, argc_);
      napi_throw_type_error(env, nullptr, msg);
      failed_ = true;
    }
  }

  bool ok() const { return !failed_; }
  napi_env env() const { return env_; }
  /** The instruction set's kernels this function was created for. */
  const KernelTable& kernels() const { return *table_; }

  bool boolean(size_t i, const char* name) {
    bool value = false;
    if (failed_) return value;
    if (type(i) != napi_boolean) return fail(true, name, "must be a boolean"), false;
    napi_get_value_bool(env_, argv_[i], &value);
    return value;
  }

  double number(size_t i, const char* name) {
    double value = 0;
    if (failed_) return value;
    if (type(i) != napi_number) return fail(true, name, "must be a number"), 0;
    napi_get_value_double(env_, argv_[i], &value);
    return value;
  }

  /** A non-negative integer size below 2³¹. */
  int size(size_t i, const char* name) {
    const double value = number(i, name);
    if (failed_) return 0;
    if (!(value >= 0 && value <= 2147483647.0) || std::floor(value) != value)
      return fail(false, name, "must be an integer in [0, 2^31)"), 0;
    return static_cast<int>(value);
  }

  Activation activation(size_t i, const char* name) {
    const double value = number(i, name);
    if (failed_) return kIdentity;
    if (!(value == 0 || value == 1 || value == 2 || value == 3))
      return fail(false, name, "must be an Activation (0 identity, 1 tanh, 2 sigmoid, 3 relu)"), kIdentity;
    return static_cast<Activation>(static_cast<int>(value));
  }

  float* f32(size_t i, const char* name, int64_t minLength, bool nullable = false) {
    return static_cast<float*>(typed(i, name, minLength, napi_float32_array, "a Float32Array", nullable));
  }
  int32_t* i32(size_t i, const char* name, int64_t minLength) {
    return static_cast<int32_t*>(typed(i, name, minLength, napi_int32_array, "an Int32Array", false));
  }
  uint32_t* u32(size_t i, const char* name, int64_t minLength) {
    return static_cast<uint32_t*>(typed(i, name, minLength, napi_uint32_array, "a Uint32Array", false));
  }

  /** Throws a RangeError naming the op (for checks the helpers cannot make). */
  void rangeError(const char* name, const char* what) { fail(false, name, what); }

 private:
  napi_valuetype type(size_t i) {
    napi_valuetype t = napi_undefined;
    if (i < argc_) napi_typeof(env_, argv_[i], &t);
    return t;
  }

  void* typed(size_t i, const char* name, int64_t minLength, napi_typedarray_type want, const char* wantName,
              bool nullable) {
    if (failed_) return nullptr;
    const napi_valuetype t = type(i);
    if (nullable && t == napi_null) return nullptr;
    bool isTyped = false;
    if (i < argc_) napi_is_typedarray(env_, argv_[i], &isTyped);
    napi_typedarray_type kind;
    size_t length = 0;
    void* data = nullptr;
    if (isTyped && napi_get_typedarray_info(env_, argv_[i], &kind, &length, &data, nullptr, nullptr) != napi_ok)
      isTyped = false;
    if (!isTyped || kind != want) {
      char what[80];
      std::snprintf(what, sizeof what, "must be %s%s", wantName, nullable ? " or null" : "");
      fail(true, name, what);
      return nullptr;
    }
    if (static_cast<int64_t>(length) < minLength) {
      char what[120];
      std::snprintf(what, sizeof what, "is too short: length %zu, needs at least %lld", length,
                    static_cast<long long>(minLength));
      fail(false, name, what);
      return nullptr;
    }
    // A zero-length array may report a null data pointer; kernels never touch it then.
    static float dummy;
    return data ? data : &dummy;
  }

  void fail(bool typeError, const char* name, const char* what) {
    if (failed_) return;
    failed_ = true;
    char msg[320];
    std::snprintf(msg, sizeof msg, "%s: argument '%s' %s", op_, name, what);
    if (typeError)
      napi_throw_type_error(env_, nullptr, msg);
    else
      napi_throw_range_error(env_, nullptr, msg);
  }

  napi_env env_;
  const char* op_;
  size_t argc_ = 0;
  napi_value argv_[kMaxArgs];
  const KernelTable* table_ = nullptr;
  bool failed_ = false;
};

napi_value undefinedValue(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_value numberValue(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

int64_t product(int a, int b) { return static_cast<int64_t>(a) * b; }

// ---- one function per Kernels method ---------------------------------------------------------------

napi_value Gemm(napi_env env, napi_callback_info info) {
  Args args(env, info, "gemm", 10);
  const bool transA = args.boolean(0, "transA");
  const bool transB = args.boolean(1, "transB");
  const int m = args.size(2, "m"), n = args.size(3, "n"), k = args.size(4, "k");
  const double alpha = args.number(5, "alpha");
  const float* a = args.f32(6, "a", product(m, k));
  const float* b = args.f32(7, "b", product(k, n));
  const double beta = args.number(8, "beta");
  float* c = args.f32(9, "c", product(m, n));
  if (!args.ok()) return nullptr;
  args.kernels().gemm(transA, transB, m, n, k, static_cast<float>(alpha), a, b, static_cast<float>(beta), c);
  return undefinedValue(env);
}

napi_value Dense(napi_env env, napi_callback_info info) {
  Args args(env, info, "dense", 8);
  const int m = args.size(0, "m"), n = args.size(1, "n"), k = args.size(2, "k");
  const float* x = args.f32(3, "x", product(m, k));
  const float* w = args.f32(4, "w", product(k, n));
  const float* bias = args.f32(5, "bias", n, true);
  const Activation act = args.activation(6, "act");
  float* y = args.f32(7, "y", product(m, n));
  if (!args.ok()) return nullptr;
  args.kernels().dense(m, n, k, x, w, bias, act, y);
  return undefinedValue(env);
}

/** Elements a strided block of `rows` rows of `width` reaches: (rows − 1)·stride + width (0 if empty). */
int64_t blockExtent(int rows, int width, int stride) { return rows == 0 || width == 0 ? 0 : product(rows - 1, stride) + width; }

napi_value DenseConcat(napi_env env, napi_callback_info info) {
  Args args(env, info, "denseConcat", 12);
  const int m = args.size(0, "m"), wa = args.size(1, "wa"), wb = args.size(2, "wb"), n = args.size(3, "n");
  const int lda = args.size(5, "lda");
  const int k = wa + wb;
  const float* a = args.f32(4, "a", blockExtent(m, wa, lda));
  const float* b = args.f32(6, "b", product(m, wb), true);
  float* z = args.f32(7, "z", product(m, k));
  const float* w = args.f32(8, "w", product(k, n));
  const float* bias = args.f32(9, "bias", n, true);
  const Activation act = args.activation(10, "act");
  float* y = args.f32(11, "y", product(m, n));
  if (!args.ok()) return nullptr;
  args.kernels().denseConcat(m, wa, wb, n, a, lda, b, z, w, bias, act, y);
  return undefinedValue(env);
}

napi_value ErrorThroughSteps(napi_env env, napi_callback_info info) {
  Args args(env, info, "errorThroughSteps", 8);
  const int steps = args.size(0, "steps"), rows = args.size(1, "rows"), n = args.size(2, "n");
  const bool transB = args.boolean(3, "transB");
  const float* b = args.f32(4, "b", product(n, n));
  const Activation act = args.activation(5, "act");
  const int64_t all = static_cast<int64_t>(steps) * rows * n;
  const float* states = args.f32(6, "states", all);
  float* deltas = args.f32(7, "deltas", all);
  if (!args.ok()) return nullptr;
  args.kernels().errorThroughSteps(steps, rows, n, transB, b, act, states, deltas);
  return undefinedValue(env);
}

napi_value Activate(napi_env env, napi_callback_info info) {
  Args args(env, info, "activate", 4);
  const Activation act = args.activation(0, "act");
  const int length = args.size(1, "length");
  const float* a = args.f32(2, "a", length);
  float* y = args.f32(3, "y", length);
  if (!args.ok()) return nullptr;
  args.kernels().activate(act, length, a, y);
  return undefinedValue(env);
}

napi_value DeltaFromGrad(napi_env env, napi_callback_info info) {
  Args args(env, info, "deltaFromGrad", 5);
  const Activation act = args.activation(0, "act");
  const int length = args.size(1, "length");
  const float* y = args.f32(2, "y", length);
  const float* g = args.f32(3, "g", length);
  float* d = args.f32(4, "d", length);
  if (!args.ok()) return nullptr;
  args.kernels().deltaFromGrad(act, length, y, g, d);
  return undefinedValue(env);
}

napi_value DeltaFromTarget(napi_env env, napi_callback_info info) {
  Args args(env, info, "deltaFromTarget", 6);
  const Activation act = args.activation(0, "act");
  const int length = args.size(1, "length");
  const double alpha = args.number(2, "alpha");
  const float* y = args.f32(3, "y", length);
  const float* t = args.f32(4, "t", length);
  float* d = args.f32(5, "d", length);
  if (!args.ok()) return nullptr;
  args.kernels().deltaFromTarget(act, length, static_cast<float>(alpha), y, t, d);
  return undefinedValue(env);
}

napi_value Axpby(napi_env env, napi_callback_info info) {
  Args args(env, info, "axpby", 6);
  const int length = args.size(0, "length");
  const double alpha = args.number(1, "alpha");
  const float* x = args.f32(2, "x", length);
  const double beta = args.number(3, "beta");
  const float* y = args.f32(4, "y", length);
  float* out = args.f32(5, "out", length);
  if (!args.ok()) return nullptr;
  args.kernels().axpby(length, static_cast<float>(alpha), x, static_cast<float>(beta), y, out);
  return undefinedValue(env);
}

napi_value CopyBlock(napi_env env, napi_callback_info info) {
  Args args(env, info, "copyBlock", 6);
  const int rows = args.size(0, "rows"), width = args.size(1, "width");
  const int srcStride = args.size(3, "srcStride"), dstStride = args.size(5, "dstStride");
  const float* src = args.f32(2, "src", blockExtent(rows, width, srcStride));
  float* dst = args.f32(4, "dst", blockExtent(rows, width, dstStride));
  if (!args.ok()) return nullptr;
  args.kernels().copyBlock(rows, width, src, srcStride, dst, dstStride);
  return undefinedValue(env);
}

napi_value AddDifference(napi_env env, napi_callback_info info) {
  Args args(env, info, "addDifference", 5);
  const int length = args.size(0, "length");
  const float* x = args.f32(1, "x", length);
  const float* plus = args.f32(2, "plus", length);
  const float* minus = args.f32(3, "minus", length);
  float* out = args.f32(4, "out", length);
  if (!args.ok()) return nullptr;
  args.kernels().addDifference(length, x, plus, minus, out);
  return undefinedValue(env);
}

napi_value ColumnSums(napi_env env, napi_callback_info info) {
  Args args(env, info, "columnSums", 6);
  const int m = args.size(0, "m"), n = args.size(1, "n");
  const double alpha = args.number(2, "alpha");
  const float* d = args.f32(3, "d", product(m, n));
  const double beta = args.number(4, "beta");
  float* out = args.f32(5, "out", n);
  if (!args.ok()) return nullptr;
  args.kernels().columnSums(m, n, static_cast<float>(alpha), d, static_cast<float>(beta), out);
  return undefinedValue(env);
}

napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info) {
  Args args(env, info, "softmaxCrossEntropy", 7);
  const int m = args.size(0, "m"), n = args.size(1, "n");
  const float* scores = args.f32(2, "scores", product(m, n));
  const int32_t* labels = args.i32(3, "labels", m);
  float* probs = args.f32(4, "probs", product(m, n));
  const double gradScale = args.number(5, "gradScale");
  float* grad = args.f32(6, "grad", product(m, n), true);
  if (!args.ok()) return nullptr;
  for (int i = 0; i < m; ++i)
    if (labels[i] < 0 || labels[i] >= n) {
      args.rangeError("labels", "has an entry outside [0, n)");
      return nullptr;
    }
  return numberValue(env, args.kernels().softmaxCrossEntropy(m, n, scores, labels, probs, gradScale, grad));
}

napi_value CountErrors(napi_env env, napi_callback_info info) {
  Args args(env, info, "countErrors", 4);
  const int m = args.size(0, "m"), n = args.size(1, "n");
  const float* scores = args.f32(2, "scores", product(m, n));
  const int32_t* labels = args.i32(3, "labels", m);
  if (!args.ok()) return nullptr;
  return numberValue(env, args.kernels().countErrors(m, n, scores, labels));
}

napi_value SumSquaredDifference(napi_env env, napi_callback_info info) {
  Args args(env, info, "sumSquaredDifference", 3);
  const int length = args.size(0, "length");
  const float* x = args.f32(1, "x", length);
  const float* y = args.f32(2, "y", length);
  if (!args.ok()) return nullptr;
  return numberValue(env, args.kernels().sumSquaredDifference(length, x, y));
}

napi_value AddGaussianNoise(napi_env env, napi_callback_info info) {
  Args args(env, info, "addGaussianNoise", 5);
  const int length = args.size(0, "length");
  const float* x = args.f32(1, "x", length);
  const double sigma = args.number(2, "sigma");
  uint32_t* rng = args.u32(3, "rng", 4);
  float* out = args.f32(4, "out", length);
  if (!args.ok()) return nullptr;
  args.kernels().addGaussianNoise(length, x, static_cast<float>(sigma), rng, out);
  return undefinedValue(env);
}

napi_value SgdStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "sgdStep", 7);
  const int length = args.size(0, "length");
  float* param = args.f32(1, "param", length);
  const float* grad = args.f32(2, "grad", length);
  float* velocity = args.f32(3, "velocity", length);
  const double lr = args.number(4, "lr"), momentum = args.number(5, "momentum");
  const double weightDecay = args.number(6, "weightDecay");
  if (!args.ok()) return nullptr;
  args.kernels().sgdStep(length, param, grad, velocity, static_cast<float>(lr), static_cast<float>(momentum),
          static_cast<float>(weightDecay));
  return undefinedValue(env);
}

napi_value RmspropStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "rmspropStep", 10);
  const int length = args.size(0, "length");
  float* param = args.f32(1, "param", length);
  const float* grad = args.f32(2, "grad", length);
  float* avg = args.f32(3, "avg", length);
  float* avgSq = args.f32(4, "avgSq", length);
  float* inc = args.f32(5, "inc", length);
  const double lr = args.number(6, "lr"), rho = args.number(7, "rho");
  const double momentum = args.number(8, "momentum"), epsilon = args.number(9, "epsilon");
  if (!args.ok()) return nullptr;
  args.kernels().rmspropStep(length, param, grad, avg, avgSq, inc, static_cast<float>(lr), static_cast<float>(rho),
              static_cast<float>(momentum), static_cast<float>(epsilon));
  return undefinedValue(env);
}

napi_value AdamStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "adamStep", 10);
  const int length = args.size(0, "length");
  float* param = args.f32(1, "param", length);
  const float* grad = args.f32(2, "grad", length);
  float* m = args.f32(3, "m", length);
  float* v = args.f32(4, "v", length);
  const double lr = args.number(5, "lr"), beta1 = args.number(6, "beta1");
  const double beta2 = args.number(7, "beta2"), epsilon = args.number(8, "epsilon");
  const double t = args.number(9, "t");
  if (!args.ok()) return nullptr;
  args.kernels().adamStep(length, param, grad, m, v, lr, beta1, beta2, epsilon, t);
  return undefinedValue(env);
}

// ---- module ----------------------------------------------------------------------------------------

/** Environments using the addon (main thread and workers); the helper thread stops with the last. */
std::atomic<int> liveEnvironments{0};

void environmentCleanup(void*) {
  if (--liveEnvironments == 0) shutdownHelperThread();
}

/** An object with every Kernels function, each bound to `table`. */
napi_value kernelObject(napi_env env, const KernelTable* table) {
  void* data = const_cast<KernelTable*>(table);
  const napi_property_descriptor properties[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"dense", nullptr, Dense, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"activate", nullptr, Activate, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"deltaFromGrad", nullptr, DeltaFromGrad, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"deltaFromTarget", nullptr, DeltaFromTarget, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"axpby", nullptr, Axpby, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"copyBlock", nullptr, CopyBlock, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"errorThroughSteps", nullptr, ErrorThroughSteps, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"denseConcat", nullptr, DenseConcat, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"addDifference", nullptr, AddDifference, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"columnSums", nullptr, ColumnSums, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"softmaxCrossEntropy", nullptr, SoftmaxCrossEntropy, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"countErrors", nullptr, CountErrors, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"sumSquaredDifference", nullptr, SumSquaredDifference, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"addGaussianNoise", nullptr, AddGaussianNoise, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"sgdStep", nullptr, SgdStep, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"rmspropStep", nullptr, RmspropStep, nullptr, nullptr, nullptr, napi_enumerable, data},
      {"adamStep", nullptr, AdamStep, nullptr, nullptr, nullptr, napi_enumerable, data},
  };
  napi_value object;
  napi_create_object(env, &object);
  napi_define_properties(env, object, sizeof properties / sizeof properties[0], properties);
  return object;
}

napi_value stringValue(napi_env env, const std::string& text) {
  napi_value v;
  napi_create_string_utf8(env, text.c_str(), text.size(), &v);
  return v;
}

napi_value stringArray(napi_env env, const std::vector<std::string>& items) {
  napi_value array;
  napi_create_array_with_length(env, items.size(), &array);
  for (size_t i = 0; i < items.size(); ++i) napi_set_element(env, array, static_cast<uint32_t>(i), stringValue(env, items[i]));
  return array;
}

napi_value Init(napi_env env, napi_value exports) {
  ++liveEnvironments;
  napi_add_env_cleanup_hook(env, environmentCleanup, nullptr);
  napi_value paths;
  napi_create_object(env, &paths);
  std::vector<std::string> isas;
  for (const KernelTable* table : supportedTables()) {
    isas.push_back(table->isa);
    napi_set_named_property(env, paths, table->isa, kernelObject(env, table));
  }
  napi_set_named_property(env, exports, "paths", paths);
  napi_set_named_property(env, exports, "isas", stringArray(env, isas));
  napi_set_named_property(env, exports, "compiled", stringArray(env, compiledIsas()));
  napi_set_named_property(env, exports, "cpu", stringValue(env, cpuDescription()));
  napi_set_named_property(env, exports, "spiking", spikingObject(env));
  return exports;
}

}  // namespace
}  // namespace apical

NAPI_MODULE(NODE_GYP_MODULE_NAME, apical::Init)
