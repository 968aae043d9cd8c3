// Head office imports one data set from CSV, as an office exports it from a spreadsheet (a BOM,
// quoted fields, CRLF), through the lobby-headoffice command; the kiosk pulls what changed. A bad
// file is refused with its line and changes nothing. On SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include <cstdio>
#include <fstream>

#include "kiosk/store/probe.hpp"
#include "headoffice_fixture.hpp"
#include "run_command.hpp"
#include "sync/server/csv.hpp"

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
