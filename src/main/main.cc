// cairn's entry point: reads flags, loads the service model, wires every service into the
// gateway, and serves until SIGTERM/SIGINT. The only place that knows every module.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>

#include "base/ids.h"
#include "base/log.h"
#include "base/page_token.h"
#include "gateway/gateway.h"
#include "http/server.h"
#include "lifecycle/clock.h"
#include "lifecycle/scheduler.h"
#include "main/flags.h"
#include "main/snapshot.h"
#include "main/world.h"
#include "model/model.h"
#include "org/directory.h"
#include "protocol/protocol.h"
#include "services/config/provider.h"
#include "services/organizations/provider.h"
#include "services/securityhub/provider.h"
#include "services/ssm/provider.h"
#include "services/sts/provider.h"
#include "store/sqlite_journal.h"
#include "store/store.h"

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "dev"
#endif

int main(int argc, char** argv) {
  using namespace cairn;
  std::string error;
  const std::optional<main::Flags> flags =
      main::ParseFlags(std::vector<std::string>(argv + 1, argv + argc), std::getenv, error);
  if (!flags) {
    std::cerr << "cairn: " << error << "\n" << main::Usage();
    return 2;
  }
  if (flags->help) {
    std::cout << main::Usage();
    return 0;
  }
  if (flags->version) {
    std::cout << "cairn " << CAIRN_VERSION << "\n";
    return 0;
  }
  log::SetLevel(flags->log_level);
  if (!flags->command.empty()) {
    const Result<Ok> done = flags->command == "export"
                                ? snapshot::Export(flags->data_dir, flags->command_file)
                                : snapshot::Import(flags->data_dir, flags->command_file);
    if (!done.ok()) {
      std::cerr << "cairn: " << done.error().message << "\n";
      return 1;
    }
    return 0;
  }

  try {
    const std::unique_ptr<model::Catalog> catalog = model::Catalog::LoadEmbedded();
    std::unique_ptr<store::Journal> journal;
    if (flags->data_dir.empty()) {
      journal = std::make_unique<store::MemoryJournal>();
    } else {
      Result<std::unique_ptr<store::SqliteJournal>> opened = store::SqliteJournal::Open(
          flags->data_dir,
          flags->fsync_every_commit ? store::Durability::kFull : store::Durability::kProcessCrash);
      if (!opened.ok()) {
        std::cerr << "cairn: " << opened.error().message << "\n";
        return 2;
      }
      journal = std::move(opened).value();
    }
    lifecycle::SystemClock clock(*journal, flags->clock_flows);
    lifecycle::Scheduler scheduler(clock);
    const PageTokens page_tokens;
    org::Directory directory(*journal);
    directory.Restore();

    gateway::Registry registry(*catalog);
    registry.Add(std::make_shared<sts::Provider>());
    auto organizations =
        std::make_shared<organizations::Provider>(directory, scheduler, page_tokens);
    registry.Add(organizations);
    organizations->Resume();
    auto ssm = std::make_shared<ssm::Provider>(*journal, scheduler, page_tokens, directory);
    registry.Add(ssm);
    ssm->Restore();
    auto config = std::make_shared<config::Provider>(*journal, scheduler, page_tokens, directory);
    registry.Add(config);
    config->Restore();
    auto securityhub =
        std::make_shared<securityhub::Provider>(*journal, scheduler, page_tokens, directory);
    registry.Add(securityhub);
    securityhub->Restore();
    if (!flags->world_file.empty()) {
      const Result<Ok> world = world::Load(flags->world_file, directory, clock.Now(),
                                           [&ssm](const boost::json::object& body, double now) {
                                             return ssm->RegisterNode(body, now);
                                           });
      if (!world.ok()) {
        std::cerr << "cairn: " << world.error().message << "\n";
        return 2;
      }
    }

    std::optional<gateway::StrictAuth> strict_auth;
    if (flags->strict_auth) {
      std::string error;
      strict_auth = gateway::StrictAuth::Load(flags->credentials_file, error);
      if (!strict_auth) {
        std::cerr << "cairn: " << error << "\n";
        return 2;
      }
    }
    gateway::GatewayOptions gateway_options{flags->default_account, "us-east-1", CAIRN_VERSION};
    gateway_options.strict_auth = strict_auth ? &*strict_auth : nullptr;
    gateway::Gateway gateway(*catalog, registry, clock, scheduler, std::move(gateway_options));
    http::Server server(
        flags->server,
        [&gateway](const HttpRequest& request, http::Responder respond) {
          gateway.Handle(request, std::move(respond));
        },
        [&catalog](const AwsError& refusal, const HttpRequest* request) {
          return protocol::RefusalResponse(*catalog, refusal, request, ids::Uuid());
        });
    const uint16_t port = server.Listen();
    // Tests and scripts read this line to learn the port when started with --port 0.
    std::printf("cairn listening on http://%s:%u\n", flags->server.host.c_str(), port);
    std::fflush(stdout);
    scheduler.Start();
    server.Run();
    scheduler.Stop();
    log::Info("stopped");
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << "cairn: " << failure.what() << "\n";
    return 1;
  }
}
