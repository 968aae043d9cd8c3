// lobby-headoffice: the head-office server and its administration commands.
//   serve      --db STORE [--listen 127.0.0.1:8700] [--notify-file FILE]
//   import     --db STORE --site-id SG01 SITE.json
//   add-kiosk  --db STORE --site-id SG01 --kiosk K1         (prints the enrolment code)
// STORE is a SQLite file, or a PostgreSQL connection string ("postgresql://ho@dbhost/headoffice"
// or "host=dbhost dbname=headoffice"), which several lobby-headoffice processes may share.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include "sync/server/notify.hpp"
#include "sync/server/server.hpp"

using namespace kiosk;
using namespace kiosk::headoffice;

namespace {
headoffice::Server* g_server = nullptr;
void on_signal(int) {
    if (g_server) g_server->stop();
}

int fail(const std::string& what) {
    std::fprintf(stderr, "lobby-headoffice: %s\n", what.c_str());
    return 1;
}

std::unique_ptr<HeadOfficeStore> open_or_die(const std::string& path) {
    auto s = HeadOfficeStore::open(path);
    if (!s) {
        fail(s.error().detail);
        std::exit(1);
    }
    return std::move(s.value());
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"lobby-headoffice: collects every kiosk's records and serves the sites' data"};
    app.require_subcommand(1);
    std::string db = "headoffice.db", listen = "127.0.0.1:8700", notify_file, site_id, kiosk_id, site_file;

    auto* serve = app.add_subcommand("serve", "serve kiosks over HTTP");
    serve->add_option("--db", db, "the head-office store: a SQLite file or a PostgreSQL connection string");
    serve->add_option("--listen", listen, "HOST:PORT (PORT 0 picks a free one and prints it)");
    serve->add_option("--notify-file", notify_file, "append parcel notifications here, one JSON line each");

    auto* imp = app.add_subcommand("import", "import or update a site's reference data from a site file (JSON)");
    imp->add_option("--db", db);
    imp->add_option("--site-id", site_id)->required();
    imp->add_option("file", site_file)->required()->check(CLI::ExistingFile);

    auto* add = app.add_subcommand("add-kiosk", "allow a kiosk to enrol; prints its one-time enrolment code");
    add->add_option("--db", db);
    add->add_option("--site-id", site_id)->required();
    add->add_option("--kiosk", kiosk_id)->required();

    CLI11_PARSE(app, argc, argv);

    auto store = open_or_die(db);
    if (*imp) {
        std::ifstream in(site_file);
        auto doc = nlohmann::json::parse(in, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) return fail("cannot read " + site_file + " as JSON");
        auto changed = store->import_site(site_id, doc);
        if (!changed) return fail(changed.error().detail);
        std::printf("imported %s: %d rows changed\n", site_id.c_str(), changed.value());
        return 0;
    }
    if (*add) {
        auto code = store->add_kiosk(site_id, kiosk_id);
        if (!code) return fail(code.error().detail);
        std::printf("%s\n", code.value().c_str());
        return 0;
    }
    std::unique_ptr<FileSender> sender;
    if (!notify_file.empty()) sender = std::make_unique<FileSender>(notify_file);
    NotifyHook hook;
    if (sender)
        hook = [&](const std::string& site, const std::vector<const IncomingRecord*>& fresh) {
            for (auto& n : notifications_for(site, fresh)) sender->send(n);
        };
    headoffice::Server server(*store, hook);
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) return fail("--listen wants HOST:PORT");
    int port = server.bind(listen.substr(0, colon), std::atoi(listen.c_str() + colon + 1));
    if (port < 0) return fail("cannot listen on " + listen);
    std::printf("lobby-headoffice: listening on http://%s:%d\n", listen.substr(0, colon).c_str(), port);
    std::fflush(stdout);
    g_server = &server;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    server.run();
    return 0;
}
