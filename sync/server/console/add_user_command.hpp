#pragma once
// `lobby-headoffice add-user NAME --role R --site S... [--password-file F]`: a staff account for
// the console. The password never on the command line (it would sit in the shell's history and
// in every process listing): from a file, or typed twice at the terminal without echo.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kiosk::headoffice::console {

struct AddUserArgs {
    std::string name, role, password_file;
    std::vector<std::string> sites;
    bool all_sites = false;
};

CLI::App* add_user_subcommand(CLI::App& app, AddUserArgs& args, std::string& db, std::string& config_file, const char* config_help);
// Opens the console's tables in `db` and adds the user; prints what it did. The exit code.
int run_add_user(const AddUserArgs& args, const std::string& db);

}  // namespace kiosk::headoffice::console
