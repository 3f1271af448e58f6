// Every collection of SSM, for every account and region, guarded by the provider's mutex.
// Keys start with ScopePrefix(account, region); see each collection for the rest.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/ssm/resources.h"
#include "store/store.h"

namespace cairn::ssm {

struct State {
  // <scope><association id>
  store::Collection<Association> associations{"ssm.associations"};
  // <scope><association id>/<version, 10 digits>
  store::Collection<AssociationVersion> association_versions{"ssm.association_versions"};
  // <scope><association id>/<newest-first sequence, 16 digits>/<execution id>
  store::Collection<Execution> executions{"ssm.executions"};
  // <scope><association id>/<execution id>/<resource id>
  store::Collection<ExecutionTarget> execution_targets{"ssm.execution_targets"};
  // <scope><instance id>/<association id>
  store::Collection<InstanceAssociationStatus> instance_statuses{"ssm.instance_statuses"};
  // <scope><instance id>
  store::Collection<ManagedNode> nodes{"ssm.nodes"};
  // <scope><document name>; documents the account owns (AWS-owned ones are a fixed catalog)
  store::Collection<Document> documents{"ssm.documents"};
  // <scope><document name>/<version, 10 digits>
  store::Collection<DocumentVersion> document_versions{"ssm.document_versions"};
  // <scope><resource id>/<compliance type>
  store::Collection<Compliance> compliance{"ssm.compliance"};
  // <scope><ResourceType>/<resource id>, for Association, Document and ManagedInstance
  store::Collection<TagSet> tags{"ssm.tags"};

  std::vector<store::CollectionBase*> All() {
    return {&associations,      &association_versions,
            &executions,        &execution_targets,
            &instance_statuses, &nodes,
            &documents,         &document_versions,
            &compliance,        &tags};
  }
};

// Fixed-width decimal, so that versions sort numerically as keys.
std::string PaddedNumber(uint64_t number, int width = 10);

inline std::string TagKey(std::string_view scope, std::string_view resource_type,
                          std::string_view resource_id) {
  std::string key(scope);
  key.append(resource_type).push_back('/');
  key.append(resource_id);
  return key;
}

}  // namespace cairn::ssm
