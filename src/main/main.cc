// cairn's entry point: reads flags, loads the service model, wires every service into the
// gateway, and serves until SIGTERM/SIGINT. The only place that knows every module.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "base/log.h"
#include "gateway/gateway.h"
#include "http/server.h"
#include "lifecycle/clock.h"
#include "main/flags.h"
#include "model/model.h"
#include "protocol/protocol.h"
#include "services/sts/provider.h"

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

  try {
    const std::unique_ptr<model::Catalog> catalog = model::Catalog::LoadEmbedded();
    lifecycle::SystemClock clock;
    gateway::Registry registry(*catalog);
    registry.Add(std::make_shared<sts::Provider>());

    gateway::Gateway gateway(*catalog, registry, clock,
                             gateway::GatewayOptions{flags->default_account, "us-east-1", CAIRN_VERSION});
    http::Server server(
        flags->server, [&gateway](const HttpRequest& request) { return gateway.Handle(request); },
        [](const AwsError& refusal) { return protocol::ErrorResponse(nullptr, refusal, "-"); });
    const uint16_t port = server.Listen();
    // Tests and scripts read this line to learn the port when started with --port 0.
    std::printf("cairn listening on http://%s:%u\n", flags->server.host.c_str(), port);
    std::fflush(stdout);
    server.Run();
    log::Info("stopped");
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << "cairn: " << failure.what() << "\n";
    return 1;
  }
}
