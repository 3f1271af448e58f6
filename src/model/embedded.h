// The model files of models/, embedded into the binary by the build (see CMakeLists.txt).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::model {

// (service name, JSON text) for every embedded model.
const std::vector<std::pair<std::string, std::string_view>>& EmbeddedModels();

}  // namespace cairn::model
