// spiking.h — the addon's `spiking` object: loads the spiking loops apical compiles at run time and
// calls them on typed arrays (spiking.cc).
#pragma once
#include <node_api.h>

namespace apical {

/** { load, update, statements, deliver } (spiking.cc). */
napi_value spikingObject(napi_env env);

}  // namespace apical
