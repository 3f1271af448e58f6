#include "model/model.h"

#include <gtest/gtest.h>

namespace cairn::model {
namespace {

TEST(CatalogTest, EmbedsEveryInScopeService) {
  auto catalog = Catalog::LoadEmbedded();
  for (const char* name : {"ssm", "config", "securityhub", "organizations", "sts"}) {
    EXPECT_NE(catalog->Find(name), nullptr) << name;
  }
  EXPECT_EQ(catalog->Find("ssm")->operations.size(), 32u);
  EXPECT_EQ(catalog->Find("organizations")->target_prefix, "AWSOrganizationsV20161128");
  EXPECT_EQ(catalog->Find("securityhub")->protocol, Protocol::kRestJson);
}

TEST(CatalogTest, ResolvesMembersConstraintsAndErrors) {
  auto catalog = Catalog::LoadEmbedded();
  const ServiceModel* ssm = catalog->Find("ssm");
  const Operation* create = ssm->FindOperation("CreateAssociation");
  ASSERT_NE(create, nullptr);
  const Member* name = create->input->FindMember("Name");
  ASSERT_NE(name, nullptr);
  EXPECT_TRUE(name->required);
  EXPECT_EQ(name->shape->pattern, "^[a-zA-Z0-9_\\-.:/]{3,128}$");
  const Member* targets = create->input->FindMember("Targets");
  EXPECT_EQ(targets->shape->type, ShapeType::kList);
  EXPECT_EQ(targets->shape->max, 5);
  EXPECT_FALSE(create->errors.empty());
  EXPECT_TRUE(ssm->FindShape("InternalServerError")->is_fault);
}

TEST(CatalogTest, ReadsRestBindingsAndPaginators) {
  auto catalog = Catalog::LoadEmbedded();
  const ServiceModel* hub = catalog->Find("securityhub");
  const Operation* untag = hub->FindOperation("UntagResource");
  EXPECT_EQ(untag->http_method, "DELETE");
  EXPECT_EQ(untag->request_uri, "/tags/{ResourceArn}");
  const Member* keys = untag->input->FindMember("TagKeys");
  EXPECT_EQ(keys->location, Location::kQuery);
  EXPECT_EQ(keys->location_name, "tagKeys");
  const Operation* list = hub->FindOperation("ListConfigurationPolicyAssociations");
  ASSERT_TRUE(list->paginator.has_value());
  EXPECT_EQ(list->paginator->input_token, "NextToken");
  EXPECT_EQ(hub->FindShape("AccessDeniedException")->error_status, 403);
}

TEST(CatalogTest, RejectsMalformedModel) {
  const std::string text = R"({"metadata":{"protocol":"json"},"shapes":{"A":{"type":"structure",
    "members":{"B":{"shape":"Missing"}}}},"operations":{}})";
  EXPECT_THROW(Catalog::Load({{"bad", text}}), std::runtime_error);
}

}  // namespace
}  // namespace cairn::model
