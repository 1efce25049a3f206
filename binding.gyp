{
  # The native kernels (native/, see src/kernels/native.ts). Built by `npm install` through
  # scripts/build-native.js; a failed build leaves apical on the WebAssembly kernels (wasm/).
  #
  # No -march=native: the addon must run on any CPU of its architecture (a container image, a
  # cluster of mixed nodes, a copied folder). The kernel sources are compiled once per instruction
  # set into a static library each, with that set's flags and its own namespace (APICAL_ISA), and
  # native/dispatch.cc picks the fastest one the CPU has when the addon loads (APICAL_ISA forces one).
  # The glue (binding.cc, dispatch.cc, threadpool.cc) is compiled for the baseline architecture.
  "variables": {
    "kernel_sources": ["native/gemm.cc", "native/elementwise.cc", "native/noise.cc", "native/table.cc"]
  },
  "target_defaults": {
    "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y", "-std=gnu++20"],
    # -fno-math-errno / -fno-trapping-math let g++ vectorize sqrt, floor and selects; no -ffast-math:
    # NaN checks and the order of every sum are kept as written (results are deterministic).
    "cflags_cc": [
      "-O3", "-std=c++17", "-fPIC", "-fno-math-errno", "-fno-trapping-math", "-fno-exceptions", "-pthread",
      "-Wall", "-Wextra", "-Wno-maybe-uninitialized", "-Wno-unused-parameter"
    ],
    "defines": ["NAPI_VERSION=8"],
    # macOS: gyp passes flags through xcode_settings instead (the same flags as cflags_cc).
    "xcode_settings": {
      "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17", "-fno-math-errno", "-fno-trapping-math", "-fno-exceptions"],
      "MACOSX_DEPLOYMENT_TARGET": "10.15"
    }
  },
  "targets": [
    {
      "target_name": "apical_native",
      "sources": ["native/binding.cc", "native/dispatch.cc", "native/threadpool.cc", "native/spiking.cc"],
      "ldflags": ["-pthread"],
      "libraries": ["-ldl"],
      "conditions": [
        ["target_arch=='x64'", {"dependencies": ["kernels_avx512", "kernels_avx2", "kernels_generic"]}],
        ["target_arch=='arm64'", {"dependencies": ["kernels_neon"]}],
        ["target_arch!='x64' and target_arch!='arm64'", {"dependencies": ["kernels_generic"]}]
      ]
    },
    {
      "target_name": "kernels_generic",
      "type": "static_library",
      "sources": ["<@(kernel_sources)"],
      "defines": ["APICAL_ISA=generic"]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "kernels_avx512",
          "type": "static_library",
          "sources": ["<@(kernel_sources)"],
          "defines": ["APICAL_ISA=avx512"],
          "cflags_cc": ["-mavx512f", "-mavx512bw", "-mavx512dq", "-mavx512vl", "-mavx2", "-mfma"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS+": ["-mavx512f", "-mavx512bw", "-mavx512dq", "-mavx512vl", "-mavx2", "-mfma"]}
        },
        {
          "target_name": "kernels_avx2",
          "type": "static_library",
          "sources": ["<@(kernel_sources)"],
          "defines": ["APICAL_ISA=avx2"],
          "cflags_cc": ["-mavx2", "-mfma"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS+": ["-mavx2", "-mfma"]}
        }
      ]
    }],
    ["target_arch=='arm64'", {
      "targets": [
        {
          "target_name": "kernels_neon",
          "type": "static_library",
          "sources": ["<@(kernel_sources)"],
          "defines": ["APICAL_ISA=neon"]
        }
      ]
    }]
  ]
}
