#include "sync/client/curl_transport.hpp"

#include <curl/curl.h>

namespace kiosk::sync {

namespace {

TransportError kind_of(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return TransportError::Connect;
    case CURLE_OPERATION_TIMEDOUT:
        return TransportError::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return TransportError::Tls;
    default:
        return TransportError::Other;
    }
}

// What a header or write callback fills: the answer, bounded (head office's bytes are hostile).
struct Receiving {
    HttpReply* reply;
    size_t max_body;
};

constexpr size_t kMaxHeaders = 100;

class CurlTransport final : public Transport {
public:
    CurlTransport(CurlSettings s, CURL* curl) : m_settings(std::move(s)), m_curl(curl) {}
    ~CurlTransport() override { curl_easy_cleanup(m_curl); }

    HttpReply send(const HttpRequest& req) override {
        HttpReply r;
        Receiving into{&r, m_settings.max_answer_bytes};
        curl_easy_reset(m_curl);
        std::string url = m_settings.base_url + req.path;
        curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
        m_why[0] = '\0';
        curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, m_why);  // the detail: which certificate problem
        curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_curl, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT_MS, m_settings.connect_timeout_ms);
        curl_easy_setopt(m_curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(m_curl, CURLOPT_LOW_SPEED_TIME, m_settings.low_speed_time_s);
        curl_easy_setopt(m_curl, CURLOPT_TIMEOUT, m_settings.request_timeout_s);
        curl_easy_setopt(m_curl, CURLOPT_SSL_VERIFYPEER, 1L);  // https: the head office proves itself
        curl_easy_setopt(m_curl, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_settings.ca_file.empty()) curl_easy_setopt(m_curl, CURLOPT_CAINFO, m_settings.ca_file.c_str());
        curl_slist* headers = nullptr;
        for (auto& [k, v] : req.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
        headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, headers);
        if (req.method == "POST") {
            curl_easy_setopt(m_curl, CURLOPT_POST, 1L);
            curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, req.body.data());
            curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        } else if (req.method != "GET") {
            curl_easy_setopt(m_curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
        }
        curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* ud) -> size_t {
            auto* in = static_cast<Receiving*>(ud);
            if (in->reply->body.size() + s * n > in->max_body) return 0;  // libcurl then fails the transfer
            in->reply->body.append(p, s * n);
            return s * n;
        });
        curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &into);
        curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, +[](char* p, size_t s, size_t n, void* ud) -> size_t {
            auto* in = static_cast<Receiving*>(ud);
            std::string_view line(p, s * n);
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
            // A status line starts an answer's headers (an interim 1xx answer comes first).
            if (line.rfind("HTTP/", 0) == 0) in->reply->headers.clear();
            auto colon = line.find(':');
            if (colon != std::string_view::npos && colon > 0 && in->reply->headers.size() < kMaxHeaders) {
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
                in->reply->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
            }
            return s * n;
        });
        curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &into);
        if (m_settings.cancel) {
            curl_easy_setopt(m_curl, CURLOPT_NOPROGRESS, 0L);
            curl_easy_setopt(m_curl, CURLOPT_XFERINFODATA, m_settings.cancel.get());
            curl_easy_setopt(m_curl, CURLOPT_XFERINFOFUNCTION,
                             +[](void* ud, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> int {
                                 return static_cast<const std::atomic<bool>*>(ud)->load() ? 1 : 0;
                             });
        }
        CURLcode rc = curl_easy_perform(m_curl);
        curl_slist_free_all(headers);
        if (rc != CURLE_OK) {
            r.error = kind_of(rc);
            r.error_text = rc == CURLE_WRITE_ERROR ? "head office's answer is larger than allowed"
                           : m_why[0]              ? m_why
                                                   : curl_easy_strerror(rc);
            r.status = 0;
            r.body.clear();
            return r;
        }
        // To libcurl an error page is a successful transfer: the status is ours to check.
        curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &r.status);
        return r;
    }

private:
    CurlSettings m_settings;
    CURL* m_curl;
    char m_why[CURL_ERROR_SIZE] = {};
};

}  // namespace

Result<std::unique_ptr<Transport>> make_curl_transport(CurlSettings settings) {
    static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!curl_ready) return Error{"sync.error.curl", "libcurl failed to start"};
    CURL* curl = curl_easy_init();
    if (!curl) return Error{"sync.error.curl", "libcurl failed to start"};
    return std::unique_ptr<Transport>(std::make_unique<CurlTransport>(std::move(settings), curl));
}

}  // namespace kiosk::sync
