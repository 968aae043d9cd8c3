// The screens run no SQL while a person types, and a small fixed number when a screen opens: the
// UI reads what the features loaded when they opened, and the store's trace hook counts every
// statement on the UI's connection.
#include <catch2/catch.hpp>

#include "kiosk_fixture.hpp"

using namespace kiosk;
using ui::Screen;

namespace {
// Statements the app's connection ran while `what` happened.
template <class F>
int64_t statements_during(test::Kiosk& k, F&& what) {
    k.store->count_statements(true);
    what();
    int64_t n = k.store->statements_run();
    k.store->count_statements(false);
    return n;
}
}  // namespace

TEST_CASE("a clerk typing a tracking number runs no SQL, and checking it runs one look-up", "[ui][sql]") {
    test::Kiosk k;
    k.sign_in_staff();
    int64_t opening = statements_during(k, [&] { k.tap("staff.desk.parcel_intake"); });
    REQUIRE(k.screen() == Screen::ParcelIntake);
    CHECK(opening > 0);
    CHECK(opening <= 3);   // the buildings (the shelves are the site's facts, already loaded)
    CHECK(statements_during(k, [&] { k.type("SF1400023456"); }) == 0);
    int64_t checking = statements_during(k, [&] { k.tap("parcel.tracking_next"); });
    CHECK(checking >= 1);  // has this tracking number been seen before?
    CHECK(checking <= 2);
    CHECK(statements_during(k, [&] { k.tap("parcel.carrier.sf"); }) == 0);
}

TEST_CASE("a resident writing a complaint in pinyin runs no SQL until it is saved", "[ui][sql]") {
    test::Kiosk k;
    k.prove("home.tile.complaints", "B2", "B2-301", "23012301");
    REQUIRE(k.screen() == Screen::Complaint);
    CHECK(statements_during(k, [&] {
              k.tap("complaint.kind.quality");
              k.type("kuaidi");
              k.tap("ime.candidate.0");
              k.type("mei");
              k.tap("keyboard.back");
              k.tap("complaint.next");
              k.tap("complaint.where.1");
              k.tap("complaint.next");
              k.tap("complaint.when.1");
              k.tap("complaint.next");
              k.tap("complaint.next");
              k.tap("complaint.wants.1");
              k.tap("complaint.next");
              k.tap("complaint.next");
          }) == 0);
    int64_t saving = statements_during(k, [&] { k.tap("complaint.submit"); });
    CHECK(k.shows("TS-SG01-261122-K1-001"));
    CHECK(saving > 0);
    CHECK(saving <= 12);  // the record, its rows and outbox entry in one transaction, and the outbox count
}

TEST_CASE("the staff desk loads its counts when it shows, not on every tap", "[ui][sql]") {
    test::Kiosk k;
    int64_t signing_in = statements_during(k, [&] { k.sign_in_staff(); });
    CHECK(signing_in > 0);
    CHECK(signing_in <= 20);
    // Taps on the desk that change nothing run nothing.
    CHECK(statements_during(k, [&] {
              k.tap("lang.en");
              k.tap("elder.toggle");
              k.tap("elder.toggle");
          }) == 0);
}
