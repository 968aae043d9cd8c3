#pragma once
// The desk's parcels (代收快递), for a signed-in clerk: registering one (tracking number by scanner
// or keyboard, carrier, flat, shelf; then the pickup code and the label), handing parcels over
// against a pickup code, a proxy code or the household's proof, and the list of what waits.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/attempt_limiter.hpp"
#include "kiosk/core/parcels.hpp"
#include "kiosk/core/signature.hpp"
#include "kiosk/ui/feature.hpp"

namespace kiosk::ui {

struct ParcelIntakeState {
    enum class Step { Tracking, Carrier, Building, Unit, Shelf, Done } step = Step::Tracking;
    std::string tracking;
    int carrier = -1;
    std::vector<Building> buildings;
    std::vector<Unit> units;
    std::string building_id, unit_id, unit_text;
    int unit_page = 0;                    // a tower's 132 flats are pages of the grid
    bool consent = true;                  // the flat agreed to desk custody (warned when not)
    std::vector<std::string> shelves;     // the site's shelf names
    int shelf = -1;
    std::optional<Parcel> saved;
    int64_t label_job = 0;
};

namespace intake {
struct TrackingNext {};
struct PickCarrier { int index; };
struct PickBuilding { std::string id; };
struct PickUnit { std::string id; };
struct UnitPage { int page; };
struct PickShelf { int index; };
struct Register {};
struct Another {};
}  // namespace intake

class ParcelIntakeFeature : public Module<ParcelIntakeFeature, ParcelIntakeState, intake::TrackingNext,
                                          intake::PickCarrier, intake::PickBuilding, intake::PickUnit, intake::UnitPage,
                                          intake::PickShelf, intake::Register, intake::Another> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool scan(FeatureCtx& x, const std::string& code) override;

    void on(FeatureCtx& x, const intake::TrackingNext& in);
    void on(FeatureCtx& x, const intake::PickCarrier& in);
    void on(FeatureCtx& x, const intake::PickBuilding& in);
    void on(FeatureCtx& x, const intake::PickUnit& in);
    void on(FeatureCtx& x, const intake::UnitPage& in);
    void on(FeatureCtx& x, const intake::PickShelf& in);
    void on(FeatureCtx& x, const intake::Register& in);
    void on(FeatureCtx& x, const intake::Another& in);

private:
    void tracking_next(FeatureCtx& x, const std::string& tracking);
};

struct ParcelPickupState {
    enum class Step { Code, Found, Done } step = Step::Code;
    std::string code;
    std::vector<Parcel> parcels;
    std::string how = "code";           // code | proxy | household
    std::string proxy_code;
    std::string unit_text;
    Signature signature;
};

// A hand-over signature is kept as a picture this size (3:1, like the pad on screen).
inline constexpr int kSignaturePngW = 600;
inline constexpr int kSignaturePngH = 200;

namespace pickup {
struct Submit {};
struct ByHousehold {};
struct ClearSignature {};
struct Confirm {};
struct Next {};
}  // namespace pickup

class ParcelPickupFeature : public Module<ParcelPickupFeature, ParcelPickupState, pickup::Submit, pickup::ByHousehold,
                                          pickup::ClearSignature, pickup::Confirm, pickup::Next> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    bool scan(FeatureCtx& x, const std::string& code) override;
    // A household proved itself at the desk: everything it has waiting, handed over together.
    void hand_over_household(FeatureCtx& x, const std::string& unit_id);

    void on(FeatureCtx& x, const pickup::Submit& in);
    void on(FeatureCtx& x, const pickup::ByHousehold& in);
    void on(FeatureCtx& x, const pickup::ClearSignature& in);
    void on(FeatureCtx& x, const pickup::Confirm& in);
    void on(FeatureCtx& x, const pickup::Next& in);

private:
    // Guessing pickup codes at one kiosk (the site's attempt_limits.pickup_code; by default 3 free
    // tries, then 10 s doubling, 10 tries lock for 15 minutes). Outlives a visit.
    AttemptLimiter m_limiter;
};

struct ParcelListState {
    std::vector<Parcel> waiting;
    std::vector<std::string> unit_texts;
    std::vector<std::string> phone_tails;  // per parcel: the last 4 digits of its flat's residents' phones, "5678 1111"
    std::string query;                  // typed on the keypad (digits), or scanned (A–Z too)
    std::vector<int> shown;             // indices into `waiting` that match `query` (all when it is empty)
    int page = 0;                       // the page of `shown` (as many rows as fit)
    int selected = -1;                  // a parcel opened to send back to the carrier
};

// Whether a waiting parcel matches what the clerk typed: part of its tracking number, part of its
// flat ("3304", "T63304"), or exactly the last four digits of a resident's phone. Upper case,
// letters and digits only; an empty query matches everything.
bool parcel_matches(const std::string& query, const Parcel& p, const std::string& phone_tails);

namespace parcel_list {
struct Open { int index; };
struct ReturnToSender {};
struct Search { std::string query; };  // what the search field says now
struct Page { int page; };
}  // namespace parcel_list

class ParcelListFeature : public Module<ParcelListFeature, ParcelListState, parcel_list::Open, parcel_list::ReturnToSender,
                                        parcel_list::Search, parcel_list::Page> {
public:
    void open(FeatureCtx& x, Screen s) override;
    void draw(ScreenCtx& c) override;
    bool back(FeatureCtx& x) override;
    // A tracking number scanned at the list searches for it.
    bool scan(FeatureCtx& x, const std::string& code) override;

    void on(FeatureCtx& x, const parcel_list::Open& in);
    void on(FeatureCtx& x, const parcel_list::ReturnToSender& in);
    void on(FeatureCtx& x, const parcel_list::Search& in);
    void on(FeatureCtx& x, const parcel_list::Page& in);

private:
    // Filters in memory over what open() loaded; no SQL.
    void search(const std::string& query);
};

}  // namespace kiosk::ui
