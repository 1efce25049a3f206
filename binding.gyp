{
  # The native kernels (native/, see src/kernels/native.ts). Built by `npm install` through
  # scripts/build-native.js; a failed build leaves apical on the TypeScript reference kernels.
  "targets": [
    {
      "target_name": "apical_native",
      "sources": [
        "native/binding.cc",
        "native/gemm.cc",
        "native/elementwise.cc",
        "native/noise.cc",
        "native/threadpool.cc"
      ],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y", "-std=gnu++20"],
      # -fno-math-errno / -fno-trapping-math let g++ vectorize sqrt, floor and selects; no -ffast-math:
      # NaN checks and the order of every sum are kept as written (results are deterministic).
      "cflags_cc": [
        "-O3", "-march=native", "-std=c++17", "-fno-math-errno", "-fno-trapping-math",
        "-fno-exceptions", "-pthread", "-Wall", "-Wextra", "-Wno-maybe-uninitialized", "-Wno-unused-parameter"
      ],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
