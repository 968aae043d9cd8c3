#pragma once
// Exit passes (物品搬出放行): a household asks to move items out; the desk reviews the request
// against the trade's practice (the owner, not a tenant, authorises moving out; fees in arrears
// are settled first), a supervisor may override with a reason, and the gate lets an approved pass
// through once, on its day.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk {

// What may be carried out, as the site lists it (catalogue: exit.item.<id>).
const std::vector<std::string>& exit_pass_items();
// When: part of the day (catalogue: exit.window.<id>), and who carries (exit.carrier.<id>).
const std::vector<std::string>& exit_pass_windows();
const std::vector<std::string>& exit_pass_carriers();

struct ExitPassRequest {
    std::string unit_id;
    std::string requester_id;      // the household member asking
    std::string requester_role;    // owner, tenant, family
    std::vector<std::pair<std::string, int>> items;  // item id, quantity
    std::string date;              // YYYY-MM-DD, the day the items go out
    std::string window;            // morning, afternoon, evening
    std::string carrier;           // self, family, movers, other
    std::string plate;             // optional vehicle plate
};

// An exit pass as the desk and the gate see it.
struct ExitPass {
    std::string id;                // "F<yymmdd><kiosk><nnn>": on the printed pass as Code 128 and QR
    ExitPassRequest request;
    std::string status;            // pending, approved, rejected, used
    std::string reason;            // why rejected, or why a rule was overridden
    std::string reviewed_by;
    bool overridden = false;
    std::time_t requested_at = 0, reviewed_at = 0, used_at = 0;
};

// The catalogue key of what is missing or wrong, or nothing.
std::optional<std::string> exit_pass_problem(const ExitPassRequest& r);
// A rejection, or an approval that overrides a rule, must say why: the key when it does not.
std::optional<std::string> exit_review_problem(bool approve, bool overridden, const std::string& reason);

// What the desk must weigh before approving.
enum class ArrearsRule { Warn, Block };
struct ExitPassReview {
    bool tenant = false;           // not the owner: the owner must authorise
    int months_in_arrears = 0;
    ArrearsRule rule = ArrearsRule::Block;
    // A clerk may approve only when nothing stands in the way; otherwise a supervisor overrides
    // with a reason.
    bool needs_override() const { return tenant || (months_in_arrears > 0 && rule == ArrearsRule::Block); }
};
ExitPassReview review_exit_pass(const std::string& requester_role, int months_in_arrears, ArrearsRule rule);

// The gate's answer to a scanned pass.
enum class GateVerdict { LetThrough, AlreadyUsed, NotToday, Expired, NotApproved, Unknown };
std::string_view gate_verdict_id(GateVerdict v);  // catalogue: gate.verdict.<id>
GateVerdict gate_verdict(const std::string& status, const std::string& pass_date, const std::string& today);

}  // namespace kiosk
