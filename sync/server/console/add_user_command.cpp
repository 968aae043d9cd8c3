#include "sync/server/console/add_user_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "sync/server/console/console_store.hpp"

namespace kiosk::headoffice::console {

namespace {

std::optional<std::string> read_password_file(const std::string& path, std::string& why) {
    std::string text;
    if (path == "-") {
        std::getline(std::cin, text);
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            why = "cannot read " + path;
            return std::nullopt;
        }
        char buf[kMaxPasswordBytes + 4];
        in.read(buf, sizeof buf);
        text.assign(buf, static_cast<size_t>(in.gcount()));
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.find('\n') != std::string::npos) {
        why = "the password file holds one line, the password";
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> prompt(const char* what) {
    std::fprintf(stderr, "%s", what);
    termios old{};
    bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    bool got = static_cast<bool>(std::getline(std::cin, line));
    if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
    if (!got) return std::nullopt;
    return line;
}

}  // namespace

CLI::App* add_user_subcommand(CLI::App& app, AddUserArgs& a, std::string& db, std::string& config_file, const char* config_help) {
    auto* cmd = app.add_subcommand("add-user", "a staff account for the web console (/console/); the password from a file or the terminal");
    cmd->add_option("name", a.name, "the user's sign-in name: 1 to 64 of A-Z a-z 0-9 . _ -")->required();
    cmd->add_option("--db", db, "the head-office store: a SQLite file or a PostgreSQL connection string");
    cmd->add_option("--config", config_file, config_help);
    cmd->add_option("--role", a.role, "admin, manager, clerk or analyst")->required()->check(CLI::IsMember({"admin", "manager", "clerk", "analyst"}));
    auto* sites = cmd->add_option("--site,--site-id", a.sites, "a site the user may see (repeat for more); not for an admin, who sees every site");
    auto* all = cmd->add_flag("--all-sites", a.all_sites, "the user may see every site");
    sites->excludes(all);
    cmd->add_option("--password-file", a.password_file, "read the password from this file's one line (- for standard input)");
    return cmd;
}

int run_add_user(const AddUserArgs& a, const std::string& db) {
    // Refused before the password is asked for: an admin is every site's (site_scope's rule).
    if (a.role == "admin" && !a.sites.empty()) return std::fprintf(stderr, "lobby-headoffice: %s\n", kAdminSitesRefused), 1;
    bool all_sites = a.all_sites || a.role == "admin";
    if (a.sites.empty() && !all_sites) return std::fprintf(stderr, "lobby-headoffice: add-user needs --site S (repeatable) or --all-sites\n"), 1;
    std::optional<std::string> password;
    std::string why;
    if (!a.password_file.empty()) {
        password = read_password_file(a.password_file, why);
        if (!password) return std::fprintf(stderr, "lobby-headoffice: %s\n", why.c_str()), 1;
    } else if (::isatty(STDIN_FILENO)) {
        password = prompt("password for the new user: ");
        auto again = prompt("the same again: ");
        if (!password || !again || *password != *again) return std::fprintf(stderr, "lobby-headoffice: the two passwords differ\n"), 1;
    } else {
        return std::fprintf(stderr, "lobby-headoffice: give --password-file FILE (or run on a terminal to type it); "
                                    "never a password on the command line\n"),
               1;
    }
    auto store = ConsoleStore::open(db);
    if (!store) return std::fprintf(stderr, "lobby-headoffice: %s\n", store.error().detail.c_str()), 1;
    StaffUser u{a.name, a.role, all_sites, a.sites, false, 0};
    auto added = store.value()->add_user(u, *password, "cli", "command line");
    if (!added) return std::fprintf(stderr, "lobby-headoffice: %s\n", added.error().detail.c_str()), 1;
    std::string scope = all_sites ? "all sites" : "";
    for (auto& s : a.sites) scope += (scope.empty() ? "" : ", ") + s;
    std::printf("added %s (%s) for %s\n", a.name.c_str(), a.role.c_str(), scope.c_str());
    return 0;
}

}  // namespace kiosk::headoffice::console
