#include "model/embedded.h"
#include "model/model.h"

namespace cairn::model {

std::unique_ptr<Catalog> Catalog::LoadEmbedded() { return Load(EmbeddedModels()); }

}  // namespace cairn::model
