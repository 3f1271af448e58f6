#include "gateway/gateway.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cairn::gateway {
namespace {
namespace json = boost::json;

constexpr char kAuth[] =
    "AWS4-HMAC-SHA256 Credential=111122223333/20240501/eu-central-1/ssm/aws4_request, "
    "SignedHeaders=host, Signature=00";

// A provider that answers ListAssociations with the caller's account, and throws on
// DeleteAssociation to stand for a bug.
class EchoService final : public Service {
 public:
  std::string_view Name() const override { return "ssm"; }
  void Bind(OperationTable& table) override {
    table.Bind("ListAssociations",
               [this](const RequestContext& context, json::object&) -> Result<json::object> {
                 ++calls;
                 return json::object{{"NextToken", std::string(context.account_id) + "/" +
                                                       std::string(context.region)}};
               });
    table.Bind("DeleteAssociation",
               [](const RequestContext&, json::object&) -> Result<json::object> {
                 throw std::runtime_error("bug");
               });
    table.Bind("DescribeAssociation",
               [](const RequestContext&, json::object&) -> Result<json::object> {
                 return AwsError::Make("AssociationDoesNotExist",
                                       "The specified association does not exist.");
               });
  }
  void Reset() override { ++resets; }
  int calls = 0;
  int resets = 0;
};

class GatewayTest : public ::testing::Test {
 protected:
  GatewayTest()
      : catalog_(model::Catalog::LoadEmbedded()),
        registry_(*catalog_),
        clock_(1714566896),
        scheduler_(clock_) {
    service_ = std::make_shared<EchoService>();
    registry_.Add(service_);
    gateway_ =
        std::make_unique<Gateway>(*catalog_, registry_, clock_, scheduler_, GatewayOptions{});
  }
  HttpResponse Call(std::string target, std::string body, bool signed_request = true) {
    HttpRequest request{"POST", "/", {}, std::move(body)};
    request.headers.emplace_back("x-amz-target", std::move(target));
    if (signed_request) request.headers.emplace_back("authorization", kAuth);
    return gateway_->Handle(request);
  }
  static std::string Type(const HttpResponse& response) {
    return std::string(json::parse(response.body).as_object().at("__type").as_string());
  }

  std::unique_ptr<model::Catalog> catalog_;
  Registry registry_;
  lifecycle::ManualClock clock_;
  lifecycle::Scheduler scheduler_;
  std::shared_ptr<EchoService> service_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(GatewayTest, DispatchesWithAccountAndRegionFromTheKey) {
  HttpResponse response = Call("AmazonSSM.ListAssociations", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"NextToken":"111122223333/eu-central-1"})");
  bool has_request_id = false;
  for (const auto& header : response.headers) has_request_id |= header.first == "x-amzn-RequestId";
  EXPECT_TRUE(has_request_id);
}

TEST_F(GatewayTest, RefusesBeforeTheProviderIsCalled) {
  EXPECT_EQ(Type(Call("AmazonSSM.ListAssociations", R"({"MaxResults":0})")), "ValidationException");
  EXPECT_EQ(Type(Call("AmazonSSM.ListAssociations", "{oops")), "SerializationException");
  HttpResponse unsigned_response =
      Call("AmazonSSM.ListAssociations", "{}", /*signed_request=*/false);
  EXPECT_EQ(unsigned_response.status, 403);
  EXPECT_EQ(Type(unsigned_response), "MissingAuthenticationTokenException");
  EXPECT_EQ(Type(Call("AmazonSSM.NoSuchThing", "{}")), "UnknownOperationException");
  EXPECT_EQ(service_->calls, 0);
}

TEST_F(GatewayTest, UnimplementedOperationsAnswer501NamingThem) {
  HttpResponse response = Call("AmazonSSM.CreateDocument", R"({"Content":"{}","Name":"doc-1"})");
  EXPECT_EQ(response.status, 501);
  EXPECT_NE(response.body.find("ssm.CreateDocument"), std::string::npos);
}

TEST_F(GatewayTest, ProviderErrorsAndBugs) {
  HttpResponse refused = Call("AmazonSSM.DescribeAssociation", "{}");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(Type(refused), "AssociationDoesNotExist");
  HttpResponse bug = Call("AmazonSSM.DeleteAssociation", "{}");
  EXPECT_EQ(bug.status, 500);
  EXPECT_EQ(Type(bug), "InternalFailure");
}

TEST_F(GatewayTest, AdminApi) {
  HttpResponse health = gateway_->Handle(HttpRequest{"GET", "/_cairn/health", {}, ""});
  EXPECT_EQ(health.status, 200);
  const json::object body = json::parse(health.body).as_object();
  EXPECT_EQ(body.at("services").as_object().at("ssm").as_string(), "running");
  EXPECT_EQ(body.at("services").as_object().at("config").as_string(), "available");
  EXPECT_EQ(gateway_->Handle(HttpRequest{"POST", "/moto-api/reset", {}, ""}).status, 200);
  EXPECT_EQ(gateway_->Handle(HttpRequest{"POST", "/_localstack/state/reset", {}, ""}).status, 200);
  EXPECT_EQ(service_->resets, 2);
  EXPECT_EQ(gateway_->Handle(HttpRequest{"GET", "/_cairn/reset", {}, ""}).status, 405);
  bool task_ran = false;
  scheduler_.At(1714566900, [&] { task_ran = true; });
  HttpResponse advanced =
      gateway_->Handle(HttpRequest{"POST", "/_cairn/clock/advance", {}, R"({"seconds":60})"});
  EXPECT_EQ(advanced.status, 200);
  EXPECT_TRUE(task_ran) << "due tasks run before the advance is answered";
  EXPECT_DOUBLE_EQ(clock_.Now(), 1714566956);
  EXPECT_EQ(gateway_->Handle(HttpRequest{"POST", "/_cairn/clock/advance", {}, R"({"seconds":-1})"})
                .status,
            400);
}

TEST(RegistryTest, RefusesDuplicatesAndUnknownOperations) {
  auto catalog = model::Catalog::LoadEmbedded();
  Registry registry(*catalog);
  registry.Add(std::make_shared<EchoService>());
  EXPECT_THROW(registry.Add(std::make_shared<EchoService>()), std::logic_error);

  class Wrong final : public Service {
   public:
    std::string_view Name() const override { return "config"; }
    void Bind(OperationTable& table) override { table.Bind("SendCommand", nullptr); }
    void Reset() override {}
  };
  EXPECT_THROW(registry.Add(std::make_shared<Wrong>()), std::logic_error);
}

}  // namespace
}  // namespace cairn::gateway
