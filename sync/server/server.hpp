#pragma once
// Head office over HTTP (cpp-httplib): health, kiosk registration, signed pushes of record
// batches, and signed pulls of the sites' data sets (sync/PROTOCOL.md).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "sync/server/headoffice_store.hpp"

namespace httplib {
class Server;
}

namespace kiosk::headoffice {

// Called after a push that queued texts for households in the notification outbox: it wakes the
// NotifyDispatcher (sync/server/notify.hpp), which sends them.
using NotifyHook = std::function<void()>;

// Routes another part of head office adds to the same HTTP server (the console, /console/),
// registered before the catch-alls that refuse unknown routes.
using ExtraRoutes = std::function<void(httplib::Server&)>;

// A certificate chain and its private key (PEM files): the server then speaks only HTTPS.
struct TlsFiles {
    std::string cert, key;
};

class Server {
public:
    // Throws std::runtime_error when the TLS files cannot be loaded.
    // `per_address`: connections one peer address may hold open at once (0: no cap).
    explicit Server(HeadOfficeStore& store, NotifyHook notify = {}, const TlsFiles* tls = nullptr, int per_address = 16,
                    const ExtraRoutes& extra = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds to host:port (port 0: any free port) and returns the port, or -1.
    int bind(const std::string& host, int port);
    // Serves until stop() (blocking); run it on a thread of its own.
    void run();
    // Whether run() is accepting connections. stop() before then does nothing (httplib's rule):
    // a caller that starts run() on a thread waits for this before it may stop it.
    bool running() const;
    void stop();

private:
    static int64_t clock();  // Unix seconds: the time kiosks sign against
    // A request whose signature is a kiosk's own: who sent it, and what accepting it writes.
    struct Signed {
        std::string site, kiosk, signature;
        int64_t now = 0;
        bool confirms_secret = false;  // signed with the newest secret, not yet confirmed
        std::string secret;
    };
    // The signature and the clock only; nothing written (a push checks the replay in its own
    // transaction, the other routes through accept_signed).
    bool verify_signature(const std::string& method, const std::string& path, const std::string& body,
                          const std::string& kiosk_header, const std::string& ts, const std::string& nonce, const std::string& sig,
                          Signed& who, std::string& why);
    // Refuses a replay (false); else the secret's first use and the kiosk's contact are kept.
    bool accept_signed(const Signed& who, std::string& why);
    // What accepting a request writes besides the replay row.
    void accepted(const Signed& who);
    HeadOfficeStore& m_store;
    NotifyHook m_notify;
    class RecentPushes;
    std::unique_ptr<RecentPushes> m_recent;
    std::unique_ptr<httplib::Server> m_http;
};

}  // namespace kiosk::headoffice
