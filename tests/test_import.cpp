// Head office imports one data set from CSV, as an office exports it from a spreadsheet (a BOM,
// quoted fields, CRLF), through the lobby-headoffice command; the kiosk pulls what changed. A bad
// file is refused with its line and changes nothing. On SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "kiosk/store/probe.hpp"
#include "headoffice_fixture.hpp"
#include "run_command.hpp"
#include "sync/common/protocol.hpp"
#include "sync/server/csv.hpp"
#include "sync/server/stats.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

std::pair<int, std::string> headoffice_cmd(const std::string& args) {
    return test::run_command(std::string(LOBBY_HEADOFFICE) + " " + args);
}

std::string write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
}

std::string kiosk_value(Store& s, const std::string& sql, const std::string& key) {
    StoreProbe q_probe(s);
    SQLite::Statement q(q_probe.connection(), sql);
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : std::string("(none)");
}

}  // namespace

TEST_CASE("CSV parsing: quotes, doubled quotes, CRLF, a BOM, and errors that name the line", "[headoffice][import]") {
    auto rows = headoffice::parse_csv("\xEF\xBB\xBFid,title\r\nA1,\"停水通知，请储水\"\r\nA2,\"say \"\"hi\"\"\nand bye\"\n\n");
    REQUIRE(rows.ok());
    REQUIRE(rows.value().size() == 3);
    CHECK(rows.value()[0] == std::vector<std::string>{"id", "title"});
    CHECK(rows.value()[1][1] == "停水通知，请储水");
    CHECK(rows.value()[2][1] == "say \"hi\"\nand bye");
    CHECK(headoffice::parse_csv("id\n\"open").error().detail == "line 2: a quoted field never ends");
    CHECK(headoffice::parse_csv("id,x\nA,b\"c\n").error().detail == "line 2: a quote inside an unquoted field");
    auto fees = headoffice::csv_dataset_rows("fee_items", "id,unit,month,kind,amount_cents,paid\nF1,B1-101,2026-11,water,abc,true\n");
    CHECK(fees.error().detail == "line 2: amount_cents 'abc' is not a whole number");
    auto paid = headoffice::csv_dataset_rows("fee_items", "id,unit,month,kind,amount_cents,paid\nF1,B1-101,2026-11,water,100,maybe\n");
    CHECK(paid.error().detail == "line 2: paid 'maybe' is not true or false");
    // A household's lock is a yes/no like the others: "true" is a lock, not a text the kiosk ignores.
    auto pins = headoffice::csv_dataset_rows("household_pins", "unit,pin_hash,locked\nB1-101,$argon2id$x,true\nB1-102,$argon2id$y,否\n");
    REQUIRE(pins.ok());
    CHECK(pins.value()[0].body["locked"] == true);
    CHECK(pins.value()[1].body["locked"] == false);
    CHECK(headoffice::csv_dataset_rows("household_pins", "unit,pin_hash,locked\nB1-101,$argon2id$x,yes please\n").error().detail ==
          "line 2: locked 'yes please' is not true or false");
    auto keyless = headoffice::csv_dataset_rows("units", "building,floor,label\nB1,1,101\n");
    CHECK(keyless.error().detail == "units #1: missing field 'id'");
    CHECK_FALSE(headoffice::csv_dataset_rows("parcels", "id\nP1\n").ok());  // not a site data set
}

TEST_CASE("an office imports fees, a notice and the catalogue from CSV, and the kiosk shows them", "[sync][headoffice][import]") {
    test::HeadOffice ho(GENERATE(as<std::string>{}, "sqlite", "postgresql"));
    test::TempDir dir;
    auto kiosk = test::open_store(dir.path / "kiosk.db");
    auto worker = test::start_sync(dir.path / "kiosk.db", "K1", ho.url(), ho.enrol("K1"));
    REQUIRE(worker->wait_synced(20s));
    std::string db = "--db '" + ho.where + "' --site-id SG01";
    const std::string paid_sql = "SELECT paid FROM fee_items WHERE id = ?";
    CHECK(kiosk_value(*kiosk, paid_sql, "F-B1-201-2026-06-water") == "0");

    // The June water bill paid at the bank, and November's water bill for 1栋 101.
    auto fees = write(dir.path / "fees.csv",
                      "\xEF\xBB\xBFid,unit,month,kind,amount_cents,paid\r\n"
                      "F-B1-201-2026-06-water,B1-201,2026-06,water,3800,是\r\n"
                      "F-B1-101-2026-11-water,B1-101,2026-11,water,4250,否\r\n");
    auto [rc, out] = headoffice_cmd("import " + db + " --dataset fee_items " + fees);
    CHECK(rc == 0);
    CHECK(out == "imported SG01 fee_items: 2 rows read, 2 changed\n");
    // The same file again changes nothing.
    CHECK(headoffice_cmd("import " + db + " --dataset fee_items " + fees).second == "imported SG01 fee_items: 2 rows read, 0 changed\n");

    auto notice = write(dir.path / "notice.csv",
                        "id,title.zh-CN,title.en,title.zh-TW,body.zh-CN,body.en,body.zh-TW,urgent,starts_on,ends_on\n"
                        "N-2026-11-water,\"停水通知，请储水\",\"Water off, store some\",\"停水通知，請儲水\","
                        "11月25日 9:00–15:00 停水。,Water off 25 Nov 9:00–15:00.,11月25日 9:00–15:00 停水。,true,2026-11-20,2026-11-26\n");
    CHECK(headoffice_cmd("import " + db + " --dataset announcements " + notice).first == 0);

    // The catalogue, replaced by a file with the wheelchair only.
    auto catalogue = write(dir.path / "catalogue.csv",
                           "id,name.zh-CN,name.en,name.zh-TW,stock,deposit_cents,loan_days\nwheelchair,轮椅,Wheelchair,輪椅,2,50000,7\n");
    auto [rc3, out3] = headoffice_cmd("import " + db + " --dataset catalogue_items --replace " + catalogue);
    CHECK(rc3 == 0);
    CHECK(out3 == "imported SG01 catalogue_items: 1 rows read, 6 changed\n");  // one changed, five gone

    worker->wake();
    REQUIRE(worker->wait_synced(20s));
    CHECK(kiosk_value(*kiosk, paid_sql, "F-B1-201-2026-06-water") == "1");
    CHECK(kiosk_value(*kiosk, "SELECT amount_cents FROM fee_items WHERE id = ?", "F-B1-101-2026-11-water") == "4250");
    auto title = nlohmann::json::parse(kiosk_value(*kiosk, "SELECT title FROM announcements WHERE id = ?", "N-2026-11-water"));
    CHECK(title["zh-CN"] == "停水通知，请储水");
    CHECK(title["en"] == "Water off, store some");
    auto items = kiosk->datasets().catalogue();
    REQUIRE(items.size() == 1);
    CHECK(items[0].id == "wheelchair");
    CHECK(items[0].stock == 2);

    // A file with a short line: refused with its line, and its good line not applied either.
    auto bad = write(dir.path / "bad.csv",
                     "id,unit,month,kind,amount_cents,paid\n"
                     "F-B1-101-2026-11-water,B1-101,2026-11,water,9999,true\n"
                     "F-B1-101-2026-12-water,B1-101,2026-12,water\n");
    auto [rc4, out4] = headoffice_cmd("import " + db + " --dataset fee_items " + bad);
    CHECK(rc4 == 1);
    CHECK(out4 == "lobby-headoffice: " + bad + ": line 3: 4 fields, the header has 6\n");
    worker->wake();
    REQUIRE(worker->wait_synced(20s));
    CHECK(kiosk_value(*kiosk, "SELECT amount_cents FROM fee_items WHERE id = ?", "F-B1-101-2026-11-water") == "4250");
    test::check_pulled_matches(ho, *kiosk);
    // A CSV given without --dataset is not mistaken for a site file.
    auto [rc5, out5] = headoffice_cmd("import " + db + " " + fees);
    CHECK(rc5 == 1);
    CHECK(out5.find("--dataset") != std::string::npos);
}

namespace {

// Runs a command line and gives its exit code, its output and its peak resident memory (KiB,
// the child's own ru_maxrss from wait4).
struct Ran {
    int rc = -1;
    std::string out;
    long peak_kib = 0;
};

Ran run_measured(const std::string& args) {
    std::filesystem::path out_file = std::filesystem::temp_directory_path() / ("ho-out-" + std::to_string(::getpid()));
    pid_t pid = ::fork();
    if (pid == 0) {
        std::string cmd = "exec " + std::string(LOBBY_HEADOFFICE) + " " + args + " >'" + out_file.string() + "' 2>&1";
        ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    rusage ru{};
    ::wait4(pid, &status, 0, &ru);
    Ran r;
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.peak_kib = ru.ru_maxrss;
    std::ifstream in(out_file);
    r.out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::filesystem::remove(out_file);
    return r;
}

}  // namespace

TEST_CASE("a site file over the limits is refused with a clear error, and the site's data stays", "[headoffice][import][limits]") {
    test::TempDir dir;
    std::string db = "--db '" + (dir.path / "ho.db").string() + "' --site-id SG01 ";
    auto site = write(dir.path / "site.json", test::demo_site().dump());
    REQUIRE(headoffice_cmd("import " + db + site).first == 0);
    auto unchanged = [&] { return headoffice_cmd("import " + db + site).second == "imported SG01: 0 rows changed\n"; };
    REQUIRE(unchanged());

    // Too many rows: 100,001 units (and one of the demo's changed, which must not land either).
    auto many = test::demo_site();
    many["units"][0]["label"] = "changed";
    for (int i = 0; i < 100'001; ++i) many["units"].push_back({{"id", "U" + std::to_string(i)}, {"building", "B1"}});
    auto [rc1, out1] = headoffice_cmd("import " + db + write(dir.path / "many.json", many.dump()));
    CHECK(rc1 == 1);
    CHECK(out1.find("rows; a data set holds at most 100000") != std::string::npos);
    CHECK(unchanged());

    // A huge field: a notice of 20 KB.
    auto huge = test::demo_site();
    huge["announcements"][0]["body"]["en"] = std::string(20'000, 'x');
    auto [rc2, out2] = headoffice_cmd("import " + db + write(dir.path / "huge.json", huge.dump()));
    CHECK(rc2 == 1);
    CHECK(out2.find("a text longer than 4096 bytes") != std::string::npos);
    CHECK(unchanged());
    // Texts each within the cap, but a row larger than a kiosk takes (64 KiB).
    auto wide = test::demo_site();
    for (int i = 0; i < 20; ++i) wide["announcements"][0]["body"]["x" + std::to_string(i)] = std::string(4000, 'y');
    auto [rc2b, out2b] = headoffice_cmd("import " + db + write(dir.path / "wide.json", wide.dump()));
    CHECK(rc2b == 1);
    CHECK(out2b.find("a row larger than 65536 bytes (what a kiosk takes)") != std::string::npos);
    CHECK(unchanged());

    // Too deep: a fact nested 40 levels.
    std::string deep = test::demo_site().dump();
    deep.insert(1, "\"deep\": " + std::string(40, '[') + std::string(40, ']') + ", ");
    auto [rc3, out3] = headoffice_cmd("import " + db + write(dir.path / "deep.json", deep));
    CHECK(rc3 == 1);
    CHECK(out3.find("nested deeper than 16 levels") != std::string::npos);
    CHECK(unchanged());

    // Too big: 40 MB (a sparse file, refused by its size before a byte is read).
    auto big = dir.path / "big.json";
    write(big, "{");
    std::filesystem::resize_file(big, 40u << 20);
    auto [rc4, out4] = headoffice_cmd("import " + db + big.string());
    CHECK(rc4 == 1);
    CHECK(out4.find("41943040 bytes; a site file or CSV file is at most 33554432") != std::string::npos);
    CHECK(unchanged());
}

TEST_CASE("a CSV of a million rows is read a row at a time and refused at the row cap, in bounded memory", "[headoffice][import][limits]") {
    test::TempDir dir;
    std::string db = "--db '" + (dir.path / "ho.db").string() + "' --site-id SG01 ";
    auto path = dir.path / "units.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "id,building,label\n";
        for (int i = 0; i < 1'000'000; ++i) out << 'U' << i << ",B1," << i << '\n';
    }
    auto r = run_measured("import " + db + "--dataset units " + path.string());
    CHECK(r.rc == 1);
    CHECK(r.out == "lobby-headoffice: " + path.string() + ": line 100002: more than 100000 rows; a data set holds at most 100000\n");
    INFO("peak RSS " << r.peak_kib << " KiB");
    CHECK(r.peak_kib < 150 * 1024);
    // Nothing of it committed.
    auto [rc, out] = headoffice_cmd("import " + db + "--dataset units " + write(dir.path / "one.csv", "id,building\nU1,B1\n"));
    CHECK(rc == 0);
    CHECK(out == "imported SG01 units: 1 rows read, 1 changed\n");
}

TEST_CASE("CSV export quotes per RFC 4180 and defuses formula cells", "[headoffice][csv]") {
    CHECK(headoffice::csv_cell("plain") == "plain");
    CHECK(headoffice::csv_cell("a,b") == "\"a,b\"");
    CHECK(headoffice::csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(headoffice::csv_cell("two\nlines") == "\"two\nlines\"");
    CHECK(headoffice::csv_cell("=1+1") == "'=1+1");
    CHECK(headoffice::csv_cell("+1") == "'+1");
    CHECK(headoffice::csv_cell("-1") == "'-1");
    CHECK(headoffice::csv_cell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(headoffice::csv_cell("\tx") == "'\tx");
    CHECK(headoffice::csv_cell("\rx") == "\"'\rx\"");
    CHECK(headoffice::csv_cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");

    // The stats CSV, with a complaint kind a kiosk sent, read back by Python's csv module.
    headoffice::MonthlyStats s;
    s.complaints["=cmd|' /C calc'!A0,\"noise\"\nnight"]["minor"].filed = 2;
    test::TempDir dir;
    auto csv = write(dir.path / "stats.csv", headoffice::stats_csv(s));
    auto [rc, out] = test::run_command("python3 -c 'import csv,json,sys; r=list(csv.reader(open(sys.argv[1], newline=\"\"))); "
                                       "print(len(r[0]), r[1][0], json.dumps(r[1][1]), r[1][3])' " + csv);
    CHECK(rc == 0);
    CHECK(out == "4 complaints_filed \"'=cmd|' /C calc'!A0,\\\"noise\\\"\\nnight\" 2\n");
}

TEST_CASE("ids with control characters are refused: site, kiosk, data set key, record id", "[headoffice][import][ids]") {
    CHECK(sync::valid_id("SG01"));
    CHECK_FALSE(sync::valid_id(""));
    CHECK_FALSE(sync::valid_id(std::string("SG\0" "1", 4)));
    CHECK_FALSE(sync::valid_id("SG\x01"));
    CHECK_FALSE(sync::valid_id("K1\n"));
    CHECK_FALSE(sync::valid_id("K\x7f"));
    CHECK_FALSE(sync::valid_id(std::string(129, 'a')));
    CHECK(sync::valid_id("1栋-101"));

    test::TempDir dir;
    std::string store = "--db '" + (dir.path / "ho.db").string() + "' ";
    auto units = write(dir.path / "u.csv", "id,building\nU1,B1\n");
    auto [rc1, out1] = headoffice_cmd("import " + store + "--site-id \"$(printf 'SG\\001')\" --dataset units " + units);
    CHECK(rc1 == 1);
    CHECK(out1 == "lobby-headoffice: --site-id is 1 to 128 bytes with no control character\n");
    auto [rc2, out2] = headoffice_cmd("add-kiosk " + store + "--site-id SG01 --kiosk \"$(printf 'K\\0331')\"");
    CHECK(rc2 == 1);
    CHECK(out2 == "lobby-headoffice: --kiosk is 1 to 128 bytes with no control character\n");
    auto bad_key = write(dir.path / "k.csv", "id,building\nU1,B1\n\"U\x01\x32\",B1\n");
    auto [rc3, out3] = headoffice_cmd("import " + store + "--site-id SG01 --dataset units " + bad_key);
    CHECK(rc3 == 1);
    CHECK(out3 == "lobby-headoffice: " + bad_key + ": line 3: the key is empty, longer than 128 bytes or has a control character\n");

    headoffice::IncomingRecord r;
    r.id = std::string("SG01-K1-1-\0" "1", 12);
    r.type = "repair.request";
    r.schema_version = 1;
    r.created_at = "2026-11-22T10:00:00+08:00";
    r.local_seq = 1;
    r.payload = nlohmann::json::object();
    auto problem = headoffice::record_problem(r, "SG01", "K1");
    REQUIRE(problem);
    CHECK(*problem == "record id is 1 to 100 bytes with no control character");
}
