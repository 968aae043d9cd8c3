// lobby-headoffice: the head-office server and its administration commands.
//   serve      --db STORE [--listen 127.0.0.1:8700] [--tls-cert PEM --tls-key PEM] [--connections-per-address N]
//              [--push-connections N]
//              [--notify-file FILE | --webhook-url URL --webhook-secret-file FILE]
//   import     --db STORE --site-id SG01 SITE.json
//   import     --db STORE --site-id SG01 --dataset fee_items [--replace] FEES.csv
//   add-kiosk  --db STORE --site-id SG01 --kiosk K1 [--force] (prints the enrolment code; rotates an enrolled kiosk's secret)
//              [--setup-url URL [--qr] [--slip FILE.png]]  (and the setup string for the kiosk's setup screen, as a QR code)
//   revoke-kiosk --db STORE --site-id SG01 --kiosk K1       (refused from its next request on)
//   notifications --db STORE [--site-id SG01] [--state pending|sending|sent|failed] [--json] [--retry-failed]
//   case       --db STORE --site-id SG01 --ticket T [--status S] [--severity V] [--valid yes|no]
//              [--on-site] [--rating N] [--by NAME] [--approved-by NAME] [--result TEXT] [--at TIME]
//   stats      --db STORE --site-id SG01 --month 2026-11 [--csv FILE|-] [--as-of TIME]
//   household-pin --db STORE --site-id SG01 --unit B1-102   (prints the household's new PIN, once)
//   household-pin --db STORE --site-id SG01 --all --out PINS.csv  (every household, after a kiosk is stolen)
//   fleet      --db STORE [--site SG01] [--json] [--now TIME]   (kiosks online / late / offline, and why)
//   add-user   NAME --db STORE --role R (--site S... | --all-sites) [--password-file F]  (a console account; else typed)
//   recount-cases --db STORE   (the Overview's open-case counts made again from the cases)
// Every command also takes --config FILE (/etc/lobby-headoffice/headoffice.toml): the file's keys
// are the defaults, the flags given override them.
// STORE is a SQLite file, or a PostgreSQL connection string ("postgresql://ho@dbhost/headoffice"
// or "host=dbhost dbname=headoffice"), which several lobby-headoffice processes may share.
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <httplib.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>
#include <atomic>

#include "kiosk/core/private_file.hpp"
#include "kiosk/core/qr.hpp"
#include "sync/server/setup_slip.hpp"
#include "kiosk/core/setup.hpp"
#include "platform/config_file.hpp"
#include "platform/service_notify.hpp"
#include "sync/server/console/add_user_command.hpp"
#include "sync/server/console/console.hpp"
#include "sync/server/csv.hpp"
#include "sync/server/fleet.hpp"
#include "sync/server/health_pinger.hpp"
#include "sync/server/notify.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/server.hpp"
#include "sync/server/site_limits.hpp"
#include "sync/server/stats.hpp"
#include "sync/server/store_clock.hpp"

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

// The store speaks of a case's fields; a clerk at this command line knows the flags that set them.
std::string in_flags(std::string detail) {
    static const std::pair<const char*, const char*> words[] = {
        {"(closed_by)", "(--by)"}, {"(approved_by)", "(--approved-by)"}, {"with status ", "with --status "}};
    for (auto [field, flag] : words)
        if (auto at = detail.find(field); at != std::string::npos) detail.replace(at, std::strlen(field), flag);
    return detail;
}

std::unique_ptr<HeadOfficeStore> open_or_die(const std::string& path) {
    auto s = HeadOfficeStore::open(path);
    if (!s) {
        fail(s.error().detail);
        std::exit(1);
    }
    return std::move(s.value());
}

// "2026-11-22 14:30" (local time), or Unix seconds; empty: now.
std::optional<int64_t> parse_time(const std::string& s) {
    if (s.empty()) return static_cast<int64_t>(std::time(nullptr));
    if (s.find_first_not_of("0123456789") == std::string::npos) return std::stoll(s);
    std::tm tm{};
    const char* end = strptime(s.c_str(), "%Y-%m-%d %H:%M", &tm);
    if (!end) end = strptime(s.c_str(), "%Y-%m-%dT%H:%M", &tm);
    if (!end || *end) return std::nullopt;
    tm.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&tm));
}

std::string show_time(const std::optional<int64_t>& t) {
    if (!t) return "-";
    std::time_t v = *t;
    std::tm tm{};
    localtime_r(&v, &tm);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%d %H:%M", &tm);
    return b;
}

// household-pin --all: every household of the site a new PIN, written to `out` (a new 0600 file,
// fsynced) before any is stored; when storing fails the file goes, and the old PINs stand.
int issue_all_pins(HeadOfficeStore& store, const std::string& site, const std::string& out) {
    if (out.empty()) return fail("household-pin --all needs --out FILE: a new file for the PINs (they are not printed)");
    bool written = false;
    auto issued = store.issue_all_household_pins(site, [&](const HeadOfficeStore::UnitPins& pins) -> Result<Ok> {
        std::string text = csv_line({"unit", "pin"});
        for (auto& [unit, pin] : pins) text += csv_line({unit, pin});
        std::string failed = write_new_private_file(out, text);
        sodium_memzero(text.data(), text.size());
        if (!failed.empty())
            return Error{"headoffice.error.household_pin", failed + " (an earlier file is never overwritten; no PIN was changed)"};
        written = true;
        return Ok{};
    });
    if (!issued) {
        if (written) std::filesystem::remove(out);  // the PINs in it were never stored
        return fail(issued.error().detail + (written ? " (no PIN was changed; " + out + " removed)" : ""));
    }
    std::fprintf(stderr, "lobby-headoffice: %zu households of %s have new PINs, in %s (0600): print them for the desk, then delete it\n",
                 issued.value(), site.c_str(), out.c_str());
    return 0;
}

// The store in the configuration file: an absolute path, or a PostgreSQL connection string whose
// password is not in it (a file in /etc is read by more than the service: ~/.pgpass or PGPASSFILE).
std::optional<std::string> store_location(const std::string& v) {
    if (is_postgres_dsn(v)) {
        if (v.find("password") != std::string::npos || (v.find("://") != std::string::npos && v.find('@') != std::string::npos &&
                                                         v.find(':', v.find("://") + 3) < v.find('@')))
            return "a connection string without the password (put it in the service user's ~/.pgpass or PGPASSFILE)";
        return std::nullopt;
    }
    return config::absolute_path(v);
}

void print_case(const CaseRow& c) {
    std::string out = c.ticket + "  " + c.kind + " " + c.category + "  status " + c.status;
    if (!c.severity.empty()) out += "  severity " + c.severity;
    if (c.valid) out += *c.valid ? "  valid" : "  communicative";
    out += "\n  filed " + show_time(c.filed_at) + "  done " + show_time(c.done_at) + "  followed up " + show_time(c.followed_up_at);
    if (c.rating) out += " (rated " + std::to_string(*c.rating) + ")";
    out += "  closed " + show_time(c.closed_at);
    if (!c.closed_by.empty()) out += " by " + c.closed_by;
    if (!c.approved_by.empty()) out += ", approved by " + c.approved_by;
    std::printf("%s\n", out.c_str());
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"lobby-headoffice: collects every kiosk's records and serves the sites' data"};
    app.require_subcommand(1);
    std::string db = "headoffice.db", listen = "127.0.0.1:8700", notify_file, site_id, kiosk_id, site_file;

    std::string config_file;
    const char* config_help = "read defaults from this TOML file (/etc/lobby-headoffice/headoffice.toml); flags override it";
    auto* serve = app.add_subcommand("serve", "serve kiosks over HTTP");
    serve->add_option("--config", config_file, config_help);
    serve->add_option("--db", db, "the head-office store: a SQLite file or a PostgreSQL connection string");
    serve->add_option("--listen", listen, "HOST:PORT (PORT 0 picks a free one and prints it)");
    serve->add_option("--notify-file", notify_file, "send texts to households by appending them here, one JSON line each (0600)");
    WebhookOptions webhook;
    std::string webhook_secret_file;
    RetryPolicy retry;
    serve->add_option("--webhook-url", webhook.url, "send texts to households by POSTing them here (an SMS or WeChat gateway)");
    serve->add_option("--webhook-secret-file", webhook_secret_file, "the webhook's HMAC key, in a file only its owner reads");
    serve->add_option("--webhook-timeout-ms", webhook.timeout_ms, "give up one webhook call after this long")->check(CLI::Range(100, 120000));
    serve->add_option("--notify-retry-s", retry.first_s, "the wait after a text first fails; it doubles each time")
        ->check(CLI::Range(0.01, 3600.0));
    TlsFiles tls;
    serve->add_option("--tls-cert", tls.cert, "serve HTTPS with this certificate chain (PEM)")->check(CLI::ExistingFile);
    serve->add_option("--tls-key", tls.key, "... and this private key (PEM)")->check(CLI::ExistingFile);
    int per_address = 16;
    serve->add_option("--connections-per-address", per_address,
                      "connections one address may hold open at once; 0 for no cap (only behind a proxy that caps them itself)")
        ->check(CLI::Range(0, 100000));
    int push_connections = 4;
    serve->add_option("--push-connections", push_connections,
                      "PostgreSQL: connections this process's pushes may hold at once (several processes on one database "
                      "share its max_connections)")
        ->check(CLI::Range(1, 64));

    // The administration commands all work on one site of one store.
    auto site_command = [&](const char* name, const char* what) {
        auto* cmd = app.add_subcommand(name, what);
        cmd->add_option("--db", db, "the head-office store: a SQLite file or a PostgreSQL connection string");
        cmd->add_option("--config", config_file, config_help);
        cmd->add_option("--site-id", site_id)->required();
        return cmd;
    };
    auto* imp = site_command("import", "import or update a site's reference data: a whole site file (JSON), or one data set (CSV)");
    std::string dataset;
    bool replace = false;
    imp->add_option("file", site_file)->required()->check(CLI::ExistingFile);
    imp->add_option("--dataset", dataset, "the file is CSV with this data set's rows (fee_items, units, announcements, ...)");
    imp->add_flag("--replace", replace, "with --dataset: rows of the data set not in the file are deleted");

    auto* add = site_command("add-kiosk",
                             "allow a kiosk to enrol, or rotate an enrolled kiosk's secret; prints the one-time enrolment code");
    add->add_option("--kiosk", kiosk_id)->required();
    bool force = false;
    add->add_flag("--force", force, "the kiosk's current secret stops working now, not when it enrols with the new code");
    std::string setup_url, slip_png;
    bool setup_qr = false;
    add->add_option("--setup-url", setup_url,
                    "head office's address as the kiosk reaches it: also print the setup string (address, site, kiosk and code "
                    "in one line) that the kiosk's setup screen takes from a barcode scanner");
    add->add_flag("--qr", setup_qr, "with --setup-url: draw the setup string as a QR code in the terminal");
    add->add_option("--slip", slip_png, "with --setup-url: write the setup string's QR code to this PNG file (0600) to print");
    auto* revoke = site_command("revoke-kiosk", "refuse a kiosk from its next request on (add-kiosk admits it again)");
    revoke->add_option("--kiosk", kiosk_id)->required();

    auto* notes = app.add_subcommand("notifications", "the texts to households: waiting, being sent, sent or given up");
    std::string note_state;
    bool note_json = false, retry_failed = false;
    int note_limit = 100;
    notes->add_option("--db", db, "the head-office store: a SQLite file or a PostgreSQL connection string");
    notes->add_option("--config", config_file, config_help);
    notes->add_option("--site-id", site_id, "one site only");
    notes->add_option("--state", note_state, "pending, sending, sent or failed")
        ->check(CLI::IsMember({"pending", "sending", "sent", "failed"}));
    notes->add_option("--limit", note_limit, "at most this many, newest first")->check(CLI::Range(1, 100000));
    notes->add_flag("--json", note_json, "JSON lines instead of text");
    notes->add_flag("--retry-failed", retry_failed, "put the texts given up back in the queue, due now");

    auto* cas = site_command("case", "record a case's progress (kiosks pull its status); with no change, show it");
    std::string ticket, status, severity, valid, by, approved_by, result, at, month, csv, as_of;
    int rating = 0;
    bool on_site = false;
    cas->add_option("--ticket", ticket, "the ticket the resident was given, e.g. BX-SG01-261122-K1-001")->required();
    cas->add_option("--status", status, "dispatched, in_progress, done, followed_up or closed");
    cas->add_option("--severity", severity, "complaints: major, important or minor");
    cas->add_option("--valid", valid, "complaints: yes (有效投诉) or no (communicative)");
    cas->add_flag("--on-site", on_site, "repairs: the repairer arrived (at --at)");
    cas->add_option("--rating", rating, "with --status followed_up: the resident's rating on the call, 1-5");
    cas->add_option("--by", by, "who closes the case");
    cas->add_option("--approved-by", approved_by, "the manager approving the closing of a major complaint");
    cas->add_option("--result", result, "the final result, when closing");
    cas->add_option("--at", at, "when: \"2026-11-22 14:30\" local time, or Unix seconds (default: now)");

    auto* st = site_command("stats", "the monthly statistics: complaints, repair timeliness, follow-ups, satisfaction");
    st->add_option("--month", month, "YYYY-MM")->required();
    st->add_option("--csv", csv, "also write CSV to this file (- for standard output, instead of the text)");
    st->add_option("--as-of", as_of, "judge open cases' deadlines as of this time (default: now)");

    auto* hpin = site_command("household-pin",
                              "issue a household a new PIN (unlocks it): prints the PIN once to hand over at the desk; "
                              "only its hash is kept");
    std::string unit, pins_out;
    bool all_units = false;
    auto* one_unit = hpin->add_option("--unit", unit, "the household's unit id, e.g. B1-102");
    auto* every_unit = hpin->add_flag("--all", all_units,
                                      "every household of the site (after a kiosk is stolen): the PINs go to --out, not the screen");
    hpin->add_option("--out", pins_out, "with --all: a new file (0600, never overwritten) for the PINs, as CSV unit,pin");
    one_unit->excludes(every_unit);

    auto* fleet = app.add_subcommand("fleet", "every kiosk online, late (no heartbeat for 5 min) or offline (15 min), and why");
    std::string fleet_now;
    bool fleet_json_out = false;
    fleet->add_option("--db", db, "the head-office store: a SQLite file or a PostgreSQL connection string");
    fleet->add_option("--config", config_file, config_help);
    fleet->add_option("--site,--site-id", site_id, "one site only");
    fleet->add_flag("--json", fleet_json_out, "one JSON document instead of text");
    fleet->add_option("--now", fleet_now, "judge as of this time: \"YYYY-MM-DD HH:MM\" local time, or Unix seconds (default: now)");

    auto* recount = app.add_subcommand("recount-cases", "make the Overview's open-case counts again from the cases (after a "
                                                        "restore or a fix that wrote cases with the store's triggers off)");
    recount->add_option("--db", db, "the head-office store: a SQLite file or a PostgreSQL connection string");
    recount->add_option("--config", config_file, config_help);

    console::AddUserArgs user_args;
    auto* add_user = console::add_user_subcommand(app, user_args, db, config_file, config_help);

    // The configuration file first: its values become the defaults the flags parsed next override.
    // Every key serve takes is known to every command (one file for them all); a bad file stops
    // here, before any store is opened.
    if (std::string file = config::config_path_in(argc, argv); !file.empty()) {
        int webhook_timeout_ms = static_cast<int>(webhook.timeout_ms);
        std::vector<config::Key> keys{
            {"db", &db, store_location},
            {"listen", &listen, config::listen_address},
            {"connections_per_address", &per_address, 0, 100000},
            {"push_connections", &push_connections, 1, 64},
            {"tls.cert", &tls.cert, config::absolute_path},
            {"tls.key", &tls.key, config::absolute_path},
            {"notify.file", &notify_file, config::absolute_path},
            {"notify.retry_s", &retry.first_s, 0.01, 3600},
            {"webhook.url", &webhook.url, config::http_url},
            {"webhook.secret_file", &webhook_secret_file, config::absolute_path},
            {"webhook.timeout_ms", &webhook_timeout_ms, 100, 120000},
        };
        if (auto e = config::load(file, keys)) return fail(*e);
        webhook.timeout_ms = webhook_timeout_ms;
    }
    CLI11_PARSE(app, argc, argv);

    // Reading commands do not make an empty store out of a mistyped path.
    if ((*cas || *st || *notes || *revoke || *hpin || *fleet || *recount) && !is_postgres_dsn(db) && !std::filesystem::exists(db))
        return fail("no head-office store at " + db);
    // Ids end up in log lines, CSV cells and kiosks' SQL: no control characters (PROTOCOL.md).
    if (!*serve && !*add_user && !*recount && !((*notes || *fleet) && site_id.empty()) && !sync::valid_id(site_id))
        return fail("--site-id is 1 to 128 bytes with no control character");
    if ((*add || *revoke) && !sync::valid_id(kiosk_id)) return fail("--kiosk is 1 to 128 bytes with no control character");
    if (*imp) {
        std::error_code ec;
        auto size = std::filesystem::file_size(site_file, ec);
        if (ec) return fail("cannot read " + site_file);
        if (size > kMaxSiteFileBytes)
            return fail(site_file + ": " + std::to_string(size) + " bytes; a site file or CSV file is at most " +
                        std::to_string(kMaxSiteFileBytes));
    }
    auto store = open_or_die(db);
    store->set_push_connections(push_connections);
    if (*add_user) return console::run_add_user(user_args, db);
    if (*recount) {
        std::vector<CaseCountFix> wrong;
        try {
            wrong = store->recount_case_counts();
        } catch (const std::exception& e) {
            return fail(std::string("recount-cases: nothing changed: ") + e.what());
        }
        for (auto& w : wrong)
            std::printf("%s %s: %lld open cases counted, %lld open\n", w.site.c_str(), w.kind.c_str(), static_cast<long long>(w.was),
                        static_cast<long long>(w.is));
        if (wrong.empty()) std::printf("every open-case count was right\n");
        else std::printf("%zu open-case counts corrected\n", wrong.size());
        return 0;
    }
    if (*fleet) {
        auto when = parse_time(fleet_now);
        if (!when) return fail("--now wants \"YYYY-MM-DD HH:MM\" or Unix seconds, not '" + fleet_now + "'");
        auto lines = judge_fleet(store->fleet(site_id, *when), *when);
        if (fleet_json_out) std::printf("%s\n", fleet_json(lines, *when).dump(2).c_str());
        else std::fputs(fleet_text(lines, *when).c_str(), stdout);
        return 0;
    }
    if (*imp && !dataset.empty()) {
        std::ifstream in(site_file, std::ios::binary);
        auto rows = csv_dataset_rows(dataset, in);  // a row at a time, within the limits
        if (!rows) return fail(site_file + ": " + rows.error().detail);
        auto changed = store->import_rows(site_id, dataset, rows.value(), replace);
        if (!changed) return fail(changed.error().detail);
        std::printf("imported %s %s: %zu rows read, %d changed\n", site_id.c_str(), dataset.c_str(), rows.value().size(), changed.value());
        return 0;
    }
    if (*imp) {
        if (replace) return fail("--replace goes with --dataset");
        std::ifstream in(site_file, std::ios::binary);
        bool too_deep = false;
        // Depth is refused while parsing: a file of ten million '[' never becomes ten million values.
        nlohmann::json doc;
        try {
            doc = nlohmann::json::parse(
            in,
            [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
                if (depth > kMaxSiteJsonDepth) {
                    too_deep = true;
                    throw std::runtime_error("too deep");
                }
                return true;
            },
            false);
        } catch (const std::runtime_error&) {
            if (!too_deep) throw;
        }
        if (too_deep)
            return fail(site_file + ": nested deeper than " + std::to_string(kMaxSiteJsonDepth) + " levels; nothing imported");
        if (doc.is_discarded() || !doc.is_object()) return fail("cannot read " + site_file + " as a site file (JSON); for one data set from CSV, add --dataset NAME");
        auto changed = store->import_site(site_id, doc);
        if (!changed) return fail(changed.error().detail);
        std::printf("imported %s: %d rows changed\n", site_id.c_str(), changed.value());
        return 0;
    }
    if (*cas) {
        CaseUpdate u;
        auto when = parse_time(at);
        if (!when) return fail("--at wants \"YYYY-MM-DD HH:MM\" or Unix seconds, not '" + at + "'");
        u.at = *when;
        if (!status.empty()) u.status = status;
        if (!severity.empty()) u.severity = severity;
        if (!valid.empty()) {
            if (valid != "yes" && valid != "no") return fail("--valid is yes or no");
            u.valid = valid == "yes";
        }
        u.on_site = on_site;
        if (rating) u.rating = rating;
        u.by = by;
        u.approved_by = approved_by;
        u.result = result;
        bool change = u.status || u.severity || u.valid || u.on_site || u.rating;
        if (!change) {
            auto c = store->case_row(site_id, ticket);
            if (!c) return fail("no case " + ticket + " at site " + site_id);
            print_case(*c);
            return 0;
        }
        auto c = store->update_case(site_id, ticket, u);
        if (!c) return fail(in_flags(c.error().detail));
        print_case(c.value());
        return 0;
    }
    if (*st) {
        int y = 0, m = 0;
        if (std::sscanf(month.c_str(), "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || month.size() != 7)
            return fail("--month wants YYYY-MM, not '" + month + "'");
        auto when = parse_time(as_of);
        if (!when) return fail("--as-of wants \"YYYY-MM-DD HH:MM\" or Unix seconds");
        auto s = monthly_stats(*store, site_id, y, m, *when);
        if (csv == "-") {
            std::fputs(stats_csv(s).c_str(), stdout);
            return 0;
        }
        std::fputs(stats_text(s).c_str(), stdout);
        if (!csv.empty()) {
            std::ofstream out(csv);
            out << stats_csv(s);
            if (!out) return fail("cannot write " + csv);
        }
        return 0;
    }
    if (*hpin && all_units) return issue_all_pins(*store, site_id, pins_out);
    if (*hpin) {
        if (unit.empty()) return fail("household-pin needs --unit UNIT or --all --out FILE");
        // The PIN goes to standard output only, for the clerk to hand over; nothing logs it.
        auto pin = store->issue_household_pin(site_id, unit);
        if (!pin) return fail(pin.error().detail);
        std::printf("%s\n", pin.value().c_str());
        std::fflush(stdout);
        sodium_memzero(pin.value().data(), pin.value().size());
        return 0;
    }
    if (*add) {
        std::optional<std::string> setup_text;
        if (!setup_url.empty()) {
            // Checked before the code is made: a bad address must not spend a kiosk's enrolment.
            setup_text = setup_code_text({setup_url, site_id, kiosk_id, "0"});
            if (!setup_text) return fail("--setup-url must be an http:// or https:// address without spaces or '|'");
        } else if (setup_qr || !slip_png.empty()) {
            return fail("--qr and --slip go with --setup-url");
        }
        if (!slip_png.empty() && std::filesystem::path(slip_png).extension() != ".png") return fail("--slip takes a FILE.png");
        auto before = store->kiosk_info(site_id, kiosk_id);
        auto code = store->add_kiosk(site_id, kiosk_id, force);
        if (!code) return fail(code.error().detail);
        std::printf("%s\n", code.value().c_str());
        if (setup_text) {
            setup_text = setup_code_text({setup_url, site_id, kiosk_id, code.value()});
            std::printf("%s\n", setup_text->c_str());
            if (setup_qr) {
                auto m = make_qr(*setup_text);
                if (!m) return fail(m.error().detail);
                std::printf("%s", qr_terminal_text(m.value()).c_str());
            }
            if (!slip_png.empty()) {
                // The slip admits a kiosk until the code is spent: readable by its owner only.
                int fd = ::open(slip_png.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                if (fd < 0) return fail("cannot write " + slip_png);
                ::fchmod(fd, 0600);
                ::close(fd);
                auto w = headoffice::write_setup_slip({setup_url, site_id, kiosk_id, code.value()}, slip_png);
                if (!w) return fail(w.error().detail);
                if (!w.value().captioned) std::fprintf(stderr, "no font found (install fonts-wqy-microhei, which lobby-headoffice recommends, or fonts-dejavu-core): the slip is the QR code alone, without its caption\n");
                std::fprintf(stderr, "setup slip written to %s: print it and scan it at the kiosk's setup screen\n", slip_png.c_str());
            }
            sodium_memzero(setup_text->data(), setup_text->size());
        }
        // The code on stdout alone (scripts take it from there); what it means on stderr.
        if (before && before->enrolled)
            std::fprintf(stderr, force ? "%s's secret no longer works; it stays offline until it enrols with this code\n"
                                       : "%s is enrolled: its secret keeps working until it enrols with this code\n",
                         kiosk_id.c_str());
        return 0;
    }
    if (*revoke) {
        auto done = store->revoke_kiosk(site_id, kiosk_id);
        if (!done) return fail(done.error().detail);
        std::printf("%s/%s revoked: its requests are refused from now on\n", site_id.c_str(), kiosk_id.c_str());
        return 0;
    }
    if (*notes) {
        if (retry_failed) {
            int n = store->retry_failed_notifications(site_id, now_ms());
            std::printf("%d texts back in the queue\n", n);
            return 0;
        }
        for (auto& n : store->notifications(site_id, note_state, now_ms(), note_limit)) {
            if (note_json) {
                std::printf("%s\n", nlohmann::json{{"id", n.id}, {"site", n.site}, {"unit", n.unit}, {"kind", n.kind}, {"state", n.state},
                                                   {"attempts", n.attempts}, {"created_ms", n.created_ms}, {"next_ms", n.next_ms},
                                                   {"sent_ms", n.sent_ms}, {"last_error", n.last_error}}
                                        .dump()
                                        .c_str());
                continue;
            }
            std::string when = n.state == "sent" ? "sent " + show_time(n.sent_ms / 1000)
                               : n.state == "pending" ? "next try " + show_time(n.next_ms / 1000)
                                                      : "";
            std::printf("%-8s %-16s %-10s %-8s tries %d  %s%s%s\n", n.state.c_str(), n.kind.c_str(), n.site.c_str(), n.unit.c_str(),
                        n.attempts, n.id.c_str(), when.empty() ? "" : ("  " + when).c_str(),
                        n.last_error.empty() ? "" : ("  last error: " + n.last_error).c_str());
        }
        return 0;
    }
    // Texts to households: queued by every push whatever happens here, sent by one sender.
    if (!notify_file.empty() && !webhook.url.empty()) return fail("--notify-file or --webhook-url, not both");
    if (webhook.url.empty() != webhook_secret_file.empty()) return fail("--webhook-url and --webhook-secret-file go together");
    std::unique_ptr<NotificationSender> sender;
    try {
        if (!notify_file.empty()) sender = std::make_unique<FileSender>(notify_file);
        if (!webhook.url.empty()) {
            auto secret = read_webhook_secret(webhook_secret_file);
            if (!secret) return fail(secret.error().detail);
            webhook.secret = secret.value();
            sender = std::make_unique<WebhookSender>(webhook);
        }
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    std::unique_ptr<NotifyDispatcher> dispatcher;
    NotifyHook hook;
    if (sender) {
        dispatcher = std::make_unique<NotifyDispatcher>(*store, *sender, retry);
        dispatcher->start();
        hook = [d = dispatcher.get()] { d->wake(); };
    } else {
        std::fprintf(stderr, "lobby-headoffice: no --notify-file or --webhook-url: texts to households wait in the store "
                             "(lobby-headoffice notifications) until a sender is configured\n");
    }
    if (tls.cert.empty() != tls.key.empty()) return fail("--tls-cert and --tls-key go together");
    // The console (/console/): the same database through a connection of its own.
    auto console_store = console::ConsoleStore::open(db);
    if (!console_store) return fail(console_store.error().detail);
    console::ConsoleOptions console_options;
    console_options.secure = !tls.cert.empty();
    console_options.data = store.get();
    auto mount = [&](httplib::Server& http) { console::mount_console(http, *console_store.value(), console_options); };
    std::unique_ptr<headoffice::Server> serving;
    try {
        serving = std::make_unique<headoffice::Server>(*store, hook, tls.cert.empty() ? nullptr : &tls, per_address, mount);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    headoffice::Server& server = *serving;
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) return fail("--listen wants HOST:PORT");
    int port = server.bind(listen.substr(0, colon), std::atoi(listen.c_str() + colon + 1));
    if (port < 0) return fail("cannot listen on " + listen);
    std::printf("lobby-headoffice: listening on %s://%s:%d\n", tls.cert.empty() ? "http" : "https", listen.substr(0, colon).c_str(),
                port);
    std::printf("lobby-headoffice: console at %s://%s:%d/console/\n", tls.cert.empty() ? "http" : "https",
                listen.substr(0, colon).c_str(), port);
    std::fflush(stdout);
    g_server = &server;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    // systemd (Type=notify): ready once the store is open and the socket listens (bind listens:
    // connections wait in its backlog until run() takes them), then the watchdog's pings while the
    // server answers itself; nothing of this outside systemd.
    service::ready("serving kiosks on port " + std::to_string(port));
    HealthPinger pinger(listen.substr(0, colon), port, !tls.cert.empty());
    server.run();
    if (dispatcher) dispatcher->stop();
    // Where this process's pushes spent their time, once, at exit: figures for whoever runs
    // several of these on one PostgreSQL (sync-bench reads it), and no endpoint to guard.
    auto w = store->write_stats();
    std::printf("lobby-headoffice: stats pushes=%lld records=%lld push_s=%.3f connection_wait_s=%.3f lock_wait_s=%.3f\n",
                static_cast<long long>(w.pushes), static_cast<long long>(w.records), w.push_s, w.connection_wait_s, w.lock_wait_s);
    return 0;
}
