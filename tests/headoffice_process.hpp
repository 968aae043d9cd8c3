#pragma once
// `lobby-headoffice serve` as a process of its own, as production runs several on one PostgreSQL:
// started on a free port (read from the line it prints), stopped with SIGTERM, its output kept
// (the stats line it prints at exit). And a kiosk as head office sees one over HTTP: signed pushes
// of records made up by the test, without a kiosk store behind them.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/common/protocol.hpp"
#include "wait_for.hpp"

namespace kiosk::test {

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ServeProcess {
public:
    // Throws when the process does not say it is listening within 30 s (its output in the message).
    // `extra`: more flags for serve (TLS, a webhook).
    ServeProcess(const std::string& program, const std::string& db, std::filesystem::path log_file, std::vector<std::string> extra = {})
        : m_log(std::move(log_file)) {
        std::vector<std::string> args{program, "serve", "--db", db, "--listen", "127.0.0.1:0"};
        args.insert(args.end(), extra.begin(), extra.end());
        m_pid = ::fork();
        if (m_pid < 0) throw std::runtime_error("cannot fork");
        if (m_pid == 0) {
            int fd = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd < 0) ::_exit(126);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(program.c_str(), argv.data());
            ::_exit(127);
        }
        const std::string said = extra_has(extra, "--tls-cert") ? "listening on https://127.0.0.1:" : "listening on http://127.0.0.1:";
        bool up = wait_until([&] { return output().find(said) != std::string::npos || exited(); }, std::chrono::seconds(30));
        auto out = output();
        auto at = out.find(said);
        if (!up || at == std::string::npos) {
            stop();
            throw std::runtime_error("lobby-headoffice serve did not start: " + out.substr(0, 2000));
        }
        m_port = std::stoi(out.substr(at + said.size()));
    }
    ~ServeProcess() { stop(); }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    bool alive() { return m_pid > 0 && !exited(); }
    std::string output() const { return slurp(m_log); }
    // SIGTERM and wait: the exit code (-1 for a signal).
    int stop() {
        if (m_pid <= 0) return m_rc;
        if (!m_exited) ::kill(m_pid, SIGTERM);
        int status = 0;
        if (::waitpid(m_pid, &status, 0) == m_pid && !m_exited) m_rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        m_pid = -1;
        return m_rc;
    }
    // A figure of the stats line the process prints at exit ("push_s", "lock_wait_s", ...); -1 without one.
    double stat(const std::string& name) const {
        auto out = output();
        auto line = out.rfind("lobby-headoffice: stats ");
        if (line == std::string::npos) return -1;
        auto at = out.find(" " + name + "=", line);
        if (at == std::string::npos) return -1;
        return std::stod(out.substr(at + name.size() + 2));
    }

private:
    static bool extra_has(const std::vector<std::string>& extra, const std::string& flag) {
        for (auto& e : extra)
            if (e == flag) return true;
        return false;
    }
    bool exited() {
        int status = 0;
        if (m_exited || ::waitpid(m_pid, &status, WNOHANG) != m_pid) return m_exited;
        m_exited = true;
        m_rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return true;
    }
    std::filesystem::path m_log;
    pid_t m_pid = -1;
    int m_port = 0, m_rc = -1;
    bool m_exited = false;
};

// A signed push of a kiosk's records (protocol.hpp's request signature) on a connection that may
// carry several kiosks' requests: {status, the reply's JSON (discarded when none)}; 0 when no answer.
inline std::pair<int, nlohmann::json> signed_push(httplib::Client& http, const std::string& site, const std::string& kiosk,
                                                  const std::string& secret, const std::string& body) {
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    std::string nonce = sync::random_hex(8);
    httplib::Headers h{{"X-Kiosk", site + "/" + kiosk},
                       {"X-Timestamp", std::to_string(now)},
                       {"X-Nonce", nonce},
                       {"X-Signature", sync::request_signature(secret, "POST", "/v1/push", now, nonce, body)}};
    auto r = http.Post("/v1/push", h, body, "application/json");
    if (!r) return {0, nlohmann::json(nlohmann::json::value_t::discarded)};
    return {r->status, nlohmann::json::parse(r->body, nullptr, false)};
}

inline std::string push_body(const nlohmann::json& records) {
    return nlohmann::json{{"protocol", sync::kProtocolVersion}, {"records", records}}.dump();
}

inline void keep_alive(httplib::Client& http) {
    http.set_keep_alive(true);
    http.set_tcp_nodelay(true);
    http.set_read_timeout(60, 0);
}

// One kiosk's pushes to one head-office process, on a connection of its own.
class KioskPusher {
public:
    KioskPusher(int port, std::string site, std::string kiosk, std::string secret)
        : m_http("127.0.0.1", port), m_site(std::move(site)), m_kiosk(std::move(kiosk)), m_secret(std::move(secret)) {
        keep_alive(m_http);
    }
    std::pair<int, nlohmann::json> push(const nlohmann::json& records) {
        return signed_push(m_http, m_site, m_kiosk, m_secret, push_body(records));
    }

private:
    httplib::Client m_http;
    std::string m_site, m_kiosk, m_secret;
};

}  // namespace kiosk::test
