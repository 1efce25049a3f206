// selftest.cc — checks one instruction set's kernels against plain loops, without Node: used to
// test the arm64 NEON path on an x86-64 machine (cross-compiled with g++-aarch64-linux-gnu and run
// under qemu-user, scripts/selftest-native.js), and runnable on any path. Odd shapes, every
// transpose, α/β variants, every activation, the noise stream and the optimiser step; prints one
// line per failure, a digest of a fixed workload's outputs (equal on paths that agree bit for bit)
// and a closing "N passed, M failed" line; exit status 1 on any failure.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "../kernels.h"

using namespace apical;
namespace K = apical::APICAL_ISA;

namespace {

int passed = 0, failed = 0;

void check(bool ok, const char* what, double got, double want, int index) {
  if (ok) return;
  if (failed < 20) std::printf("FAIL %s at %d: got %.9g, want %.9g\n", what, index, got, want);
  ++failed;
}

/** Deterministic test data in [lo, hi). */
std::vector<float> randomVector(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  uint32_t s = seed * 2654435761u + 1u;
  for (auto& x : v) {
    s ^= s << 13, s ^= s >> 17, s ^= s << 5;
    x = lo + (hi - lo) * static_cast<float>(s >> 8) * (1.0f / 16777216.0f);
  }
  return v;
}

double activation(Activation act, double a) {
  switch (act) {
    case kTanh: return std::tanh(a);
    case kSigmoid: return 1.0 / (1.0 + std::exp(-a));
    case kRelu: return a > 0 ? a : 0;
    default: return a;
  }
}

void testGemm(bool ta, bool tb, int m, int n, int k, float alpha, float beta, uint32_t seed) {
  const auto a = randomVector(static_cast<size_t>(m) * k, seed), b = randomVector(static_cast<size_t>(k) * n, seed + 1);
  auto c = randomVector(static_cast<size_t>(m) * n, seed + 2);
  std::vector<double> want(c.size());
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double sum = 0;
      for (int p = 0; p < k; ++p)
        sum += static_cast<double>(ta ? a[static_cast<size_t>(p) * m + i] : a[static_cast<size_t>(i) * k + p]) *
               (tb ? b[static_cast<size_t>(j) * k + p] : b[static_cast<size_t>(p) * n + j]);
      want[static_cast<size_t>(i) * n + j] = alpha * sum + (beta != 0 ? beta * c[static_cast<size_t>(i) * n + j] : 0.0);
    }
  K::gemm(ta, tb, m, n, k, alpha, a.data(), b.data(), beta, c.data());
  char what[96];
  std::snprintf(what, sizeof what, "gemm(%d,%d,%d,%d,%d,α=%g,β=%g)", ta, tb, m, n, k, alpha, beta);
  const double tol = 1e-4 * std::fmax(1.0, std::sqrt(static_cast<double>(k)) / 4);
  bool ok = true;
  for (size_t i = 0; i < c.size() && ok; ++i) {
    ok = std::fabs(c[i] - want[i]) <= tol * (1 + std::fabs(want[i]));
    check(ok, what, c[i], want[i], static_cast<int>(i));
  }
  if (ok) ++passed;
}

void testDense(int m, int n, int k, Activation act, bool withBias, uint32_t seed) {
  const auto x = randomVector(static_cast<size_t>(m) * k, seed), w = randomVector(static_cast<size_t>(k) * n, seed + 1, -0.2f, 0.2f);
  const auto bias = randomVector(n, seed + 2);
  std::vector<float> y(static_cast<size_t>(m) * n, NAN);
  K::dense(m, n, k, x.data(), w.data(), withBias ? bias.data() : nullptr, act, y.data());
  bool ok = true;
  for (int i = 0; i < m && ok; ++i)
    for (int j = 0; j < n && ok; ++j) {
      double sum = withBias ? bias[j] : 0.0;
      for (int p = 0; p < k; ++p) sum += static_cast<double>(x[static_cast<size_t>(i) * k + p]) * w[static_cast<size_t>(p) * n + j];
      const double want = activation(act, sum);
      const float got = y[static_cast<size_t>(i) * n + j];
      ok = std::fabs(got - want) <= 1e-4 * (1 + std::fabs(want));
      check(ok, "dense", got, want, i * n + j);
    }
  if (ok) ++passed;
}

void testActivate() {
  auto a = randomVector(4001, 7, -12.0f, 12.0f);
  const float special[] = {0.0f, -0.0f, 1e-8f, 0.1249f, 0.125f, 0.1251f, 9.0f, 20.0f, -20.0f, 88.0f, -88.0f, 100.0f, -100.0f, 1e30f, -1e30f};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; ++i) a[i] = special[i];
  for (Activation act : {kIdentity, kTanh, kSigmoid, kRelu}) {
    std::vector<float> y(a.size());
    K::activate(act, static_cast<int64_t>(a.size()), a.data(), y.data());
    bool ok = true;
    for (size_t i = 0; i < a.size() && ok; ++i) {
      const double want = activation(act, a[i]);
      ok = std::fabs(y[i] - want) <= 2e-6;
      check(ok, "activate", y[i], want, static_cast<int>(i));
    }
    const float nan = NAN;
    float out = 0;
    K::activate(act, 1, &nan, &out);
    if (act == kTanh || act == kSigmoid) check(std::isnan(out), "activate keeps NaN", out, NAN, 0), ok = ok && std::isnan(out);
    if (ok) ++passed;
  }
}

uint32_t rotl(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }
uint32_t xoshiro(uint32_t s[4]) {
  const uint32_t result = rotl(s[1] * 5u, 7) * 9u, t = s[1] << 9;
  s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t, s[3] = rotl(s[3], 11);
  return result;
}

void testNoise(int length) {
  uint32_t state[4] = {0x9E3779B9u, 0x243F6A88u, 0xB7E15162u, static_cast<uint32_t>(length)};
  uint32_t ref[4] = {state[0], state[1], state[2], state[3]};
  const auto x = randomVector(length, 11);
  std::vector<float> out(length);
  K::addGaussianNoise(length, x.data(), 0.5f, state, out.data());
  bool ok = true;
  for (int i = 0; i < length && ok; i += 2) {  // Box–Muller in double, as src/kernels/random.ts
    const double u1 = ((xoshiro(ref) >> 8) + 0.5) / 16777216.0, u2 = ((xoshiro(ref) >> 8) + 0.5) / 16777216.0;
    const double r = std::sqrt(-2 * std::log(u1));
    const double z[2] = {r * std::cos(2 * M_PI * u2), r * std::sin(2 * M_PI * u2)};
    for (int h = 0; h < 2 && i + h < length && ok; ++h) {
      const double want = x[i + h] + 0.5 * z[h];
      ok = std::fabs(out[i + h] - want) <= 1e-5;
      check(ok, "addGaussianNoise", out[i + h], want, i + h);
    }
  }
  for (int w = 0; w < 4; ++w) ok = ok && state[w] == ref[w];
  check(ok, "addGaussianNoise leaves the stream where the scalar generator does", state[0], ref[0], length);
  if (ok) ++passed;
}

void testRmsprop(int length) {
  auto p = randomVector(length, 3), avg = std::vector<float>(length), sq = std::vector<float>(length), inc = std::vector<float>(length);
  std::vector<double> rp(p.begin(), p.end()), ravg(length), rsq(length), rinc(length);
  for (int step = 0; step < 3; ++step) {
    const auto g = randomVector(length, 100 + step);
    K::rmspropStep(length, p.data(), g.data(), avg.data(), sq.data(), inc.data(), 0.001f, 0.95f, 0.9f, 0.001f);
    for (int i = 0; i < length; ++i) {
      ravg[i] = 0.95 * ravg[i] + 0.05 * g[i];
      rsq[i] = 0.95 * rsq[i] + 0.05 * g[i] * g[i];
      rinc[i] = 0.9 * rinc[i] - 0.001 * g[i] / std::sqrt(rsq[i] - ravg[i] * ravg[i] + 0.001);
      rp[i] += rinc[i];
    }
  }
  bool ok = true;
  for (int i = 0; i < length && ok; ++i) {
    ok = std::fabs(p[i] - rp[i]) <= 1e-5 && std::fabs(inc[i] - rinc[i]) <= 1e-6;
    check(ok, "rmspropStep", p[i], rp[i], i);
  }
  if (ok) ++passed;
}

void testColumnSumsAndSquares() {
  const int m = 37, n = 45;
  const auto d = randomVector(static_cast<size_t>(m) * n, 5), e = randomVector(static_cast<size_t>(m) * n, 6);
  std::vector<float> out(n, NAN);
  K::columnSums(m, n, 0.5f, d.data(), 0.0f, out.data());
  bool ok = true;
  for (int j = 0; j < n && ok; ++j) {
    double s = 0;
    for (int i = 0; i < m; ++i) s += d[static_cast<size_t>(i) * n + j];
    ok = std::fabs(out[j] - 0.5 * s) <= 1e-5;
    check(ok, "columnSums", out[j], 0.5 * s, j);
  }
  double want = 0;
  for (size_t i = 0; i < d.size(); ++i) want += (static_cast<double>(d[i]) - e[i]) * (static_cast<double>(d[i]) - e[i]);
  const double got = K::sumSquaredDifference(static_cast<int64_t>(d.size()), d.data(), e.data());
  check(std::fabs(got - want) <= 1e-12 * want, "sumSquaredDifference", got, want, 0);
  if (ok && std::fabs(got - want) <= 1e-12 * want) ++passed;
}

/** FNV-1a over the bytes of a fixed workload's outputs: equal on paths that agree bit for bit. */
uint64_t workloadDigest() {
  uint64_t hash = 1469598103934665603ull;
  auto add = [&](const void* data, size_t bytes) {
    for (size_t i = 0; i < bytes; ++i) hash = (hash ^ static_cast<const unsigned char*>(data)[i]) * 1099511628211ull;
  };
  const int shapes[][3] = {{100, 240, 784}, {33, 47, 1100}, {127, 300, 65}};
  uint32_t seed = 1000;
  for (const auto& s : shapes)
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        const auto a = randomVector(static_cast<size_t>(s[0]) * s[2], seed++), b = randomVector(static_cast<size_t>(s[2]) * s[1], seed++);
        auto c = randomVector(static_cast<size_t>(s[0]) * s[1], seed++);
        K::gemm(ta, tb, s[0], s[1], s[2], 0.5f, a.data(), b.data(), 1.5f, c.data());
        add(c.data(), c.size() * sizeof(float));
      }
  const auto x = randomVector(100 * 784, seed++), w = randomVector(784 * 240, seed++, -0.2f, 0.2f), bias = randomVector(240, seed++);
  std::vector<float> y(100 * 240);
  for (Activation act : {kTanh, kSigmoid, kRelu}) {
    K::dense(100, 240, 784, x.data(), w.data(), bias.data(), act, y.data());
    add(y.data(), y.size() * sizeof(float));
  }
  uint32_t state[4] = {1, 2, 3, 4};
  std::vector<float> noisy(24001);
  K::addGaussianNoise(24001, x.data(), 0.5f, state, noisy.data());
  add(noisy.data(), noisy.size() * sizeof(float));
  auto p = randomVector(100003, seed++), avg = std::vector<float>(100003), sq = avg, inc = avg;
  for (int step = 0; step < 3; ++step) {
    const auto g = randomVector(100003, seed++);
    K::rmspropStep(100003, p.data(), g.data(), avg.data(), sq.data(), inc.data(), 0.001f, 0.95f, 0.9f, 0.001f);
  }
  add(p.data(), p.size() * sizeof(float));
  add(inc.data(), inc.size() * sizeof(float));
  return hash;
}

}  // namespace

int main() {
  const int shapes[][3] = {{1, 1, 1}, {3, 17, 33}, {17, 3, 65}, {33, 65, 127}, {127, 33, 17}, {65, 127, 1}, {1, 200, 3},
                           {300, 33, 127}, {127, 300, 65}, {1000, 10, 127}, {33, 47, 1100}, {16, 16, 16}, {100, 240, 784}};
  uint32_t seed = 1;
  for (const auto& s : shapes)
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        testGemm(ta, tb, s[0], s[1], s[2], 1.0f, 0.0f, seed++);
        testGemm(ta, tb, s[0], s[1], s[2], -0.75f, 1.5f, seed++);
      }
  const int denseShapes[][3] = {{1, 1, 1}, {3, 17, 33}, {100, 10, 240}, {127, 300, 65}};
  for (const auto& s : denseShapes)
    for (Activation act : {kIdentity, kTanh, kSigmoid, kRelu})
      for (bool bias : {false, true}) testDense(s[0], s[1], s[2], act, bias, seed++);
  testActivate();
  for (int length : {1, 2, 3, 255, 256, 257, 1001, 24000, 100001}) testNoise(length);
  for (int length : {1, 17, 1003}) testRmsprop(length);
  testColumnSumsAndSquares();
  std::printf("workload digest: %016llx\n", static_cast<unsigned long long>(workloadDigest()));
  std::printf("%s: %d passed, %d failed\n", K::table.isa, passed, failed);
  return failed ? 1 : 0;
}
