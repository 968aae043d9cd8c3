#pragma once
// A household's fee statement and where it stands on the arrears ladder (domain.md, Fees):
// a phone/SMS reminder → a written notice at the door → in the third month a notice with a
// deadline → after three months a formal demand by express mail.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct FeeItem {
    std::string month;        // YYYY-MM
    std::string kind;         // management, water, electricity, gas, parking, lift, other (catalogue fee.kind.<kind>)
    int64_t amount_cents = 0;
    bool paid = false;
};

enum class ArrearsStage { None, Reminder, WrittenNotice, FinalNotice, FormalDemand };
std::string_view arrears_stage_id(ArrearsStage s);  // catalogue: fees.stage.<id>

struct FeeMonth {
    std::string month;
    std::vector<FeeItem> items;
    int64_t owed_cents = 0;
};

struct FeeStatement {
    std::vector<FeeMonth> months;     // newest first
    int64_t total_owed_cents = 0;     // everything unpaid, this month included
    int months_in_arrears = 0;        // from the oldest unpaid past month up to last month
    ArrearsStage stage = ArrearsStage::None;
};

// `current_month` (YYYY-MM): its own bills are due, not yet in arrears.
FeeStatement fee_statement(const std::vector<FeeItem>& items, std::string_view current_month);
ArrearsStage arrears_stage(int months_in_arrears);
// "1,234.50" (the currency sign comes from the catalogue: fees.amount)
std::string format_yuan(int64_t cents, bool thousands = true);

}  // namespace kiosk
