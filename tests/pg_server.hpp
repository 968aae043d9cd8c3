#pragma once
// A real PostgreSQL server for the tests of head office's PostgreSQL mode: a private cluster in a
// temporary folder (initdb, pg_ctl) listening on a free loopback port, a fresh database for each
// head office, stopped when the test process ends. packaging/install-deps.sh installs the server;
// when it is missing the test fails and says so. As root the cluster runs as the `postgres` user
// (PostgreSQL refuses to run as root).
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "loopback.hpp"
#include "sync/server/sql_db.hpp"

namespace kiosk::test {

class PgServer {
public:
    static PgServer& shared() {
        static PgServer s;
        return s;
    }

    // The connection string of a new, empty database.
    std::string new_database() {
        std::string name = "headoffice_" + std::to_string(++m_databases);
        headoffice::open_postgres(dsn("postgres"))->script("CREATE DATABASE " + name);
        return dsn(name);
    }
    // The postmaster's process id (the first line of its postmaster.pid): its children are the
    // server's backends and workers, for a bench that counts the CPU time PostgreSQL spent.
    int postmaster_pid() const {
        std::ifstream in(m_dir / "data" / "postmaster.pid");
        int pid = 0;
        in >> pid;
        return pid;
    }
    // Drops every database new_database() made so far (connections still open to one are ended):
    // a bench's next run starts on a server that holds none of the runs before in its buffers.
    void drop_databases() {
        auto db = headoffice::open_postgres(dsn("postgres"));
        for (int i = m_dropped + 1; i <= m_databases; ++i)
            db->script("DROP DATABASE IF EXISTS headoffice_" + std::to_string(i) + " WITH (FORCE)");
        m_dropped = m_databases;
    }
    std::string dsn(const std::string& db) const {
        return "host=127.0.0.1 port=" + std::to_string(m_port) + " user=kiosk dbname=" + db + " connect_timeout=5";
    }

    ~PgServer() {
        run(m_bin / "pg_ctl", "-D " + (m_dir / "data").string() + " -m immediate -w stop", "stop.log");
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

private:
    PgServer() {
        m_bin = find_bin();
        char tmpl[] = "/tmp/kiosk-pg-XXXXXX";
        if (!::mkdtemp(tmpl)) throw std::runtime_error("cannot make a folder for PostgreSQL");
        m_dir = tmpl;
        ::chmod(m_dir.c_str(), 0755);  // the postgres user must reach it
        std::filesystem::create_directories(m_dir / "data");
        if (::geteuid() == 0) {
            passwd* pg = ::getpwnam("postgres");
            if (!pg) throw std::runtime_error("running as root and there is no postgres user to run PostgreSQL as");
            m_as_postgres = true;
            for (auto p : {m_dir, m_dir / "data"})
                if (::chown(p.c_str(), pg->pw_uid, pg->pw_gid) != 0) throw std::runtime_error("cannot hand " + p.string() + " to postgres");
        }
        if (run(m_bin / "initdb", "-D " + (m_dir / "data").string() + " -U kiosk -A trust -E UTF8 --locale=C --no-sync", "initdb.log") != 0)
            throw std::runtime_error("initdb failed: " + log("initdb.log"));
        int fd = listen_on_loopback(m_port);  // a free port, given back for the server to take
        if (fd < 0) throw std::runtime_error("no free port for PostgreSQL");
        ::close(fd);
        std::string opts = "-c port=" + std::to_string(m_port) +
                           " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=40";
        if (run(m_bin / "pg_ctl",
                "-D " + (m_dir / "data").string() + " -l " + (m_dir / "server.log").string() + " -w -t 60 -o \"" + opts + "\" start",
                "pg_ctl.log") != 0)
            throw std::runtime_error("PostgreSQL did not start: " + log("pg_ctl.log") + log("server.log"));
    }

    static std::filesystem::path find_bin() {
        std::filesystem::path best;
        std::error_code ec;
        for (auto& v : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
            if (std::filesystem::exists(v.path() / "bin" / "initdb") && (best.empty() || v.path() > best.parent_path()))
                best = v.path() / "bin";
        if (best.empty())
            throw std::runtime_error("no PostgreSQL server in /usr/lib/postgresql: packaging/install-deps.sh installs it");
        return best;
    }

    int run(const std::filesystem::path& program, const std::string& args, const std::string& logname) {
        std::string cmd = (m_as_postgres ? "runuser -u postgres -- " : "") + program.string() + " " + args + " </dev/null >" +
                          (m_dir / logname).string() + " 2>&1";
        return std::system(cmd.c_str());
    }

    std::string log(const std::string& name) const {
        std::ifstream in(m_dir / name);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    std::filesystem::path m_bin, m_dir;
    bool m_as_postgres = false;
    int m_port = 0;
    int m_databases = 0;
    int m_dropped = 0;  // headoffice_1 .. headoffice_<m_dropped> are gone
};

}  // namespace kiosk::test
