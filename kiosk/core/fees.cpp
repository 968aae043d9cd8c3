#include "kiosk/core/fees.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace kiosk {

std::string_view arrears_stage_id(ArrearsStage s) {
    static constexpr std::array<std::string_view, 5> kIds{"none", "reminder", "written_notice", "final_notice",
                                                         "formal_demand"};
    return kIds[static_cast<size_t>(s)];
}

ArrearsStage arrears_stage(int months) {
    if (months <= 0) return ArrearsStage::None;
    if (months == 1) return ArrearsStage::Reminder;
    if (months == 2) return ArrearsStage::WrittenNotice;
    if (months == 3) return ArrearsStage::FinalNotice;
    return ArrearsStage::FormalDemand;
}

namespace {
int month_index(std::string_view ym) {  // YYYY-MM → months since year 0; -1 when malformed
    if (ym.size() != 7 || ym[4] != '-') return -1;
    int y = 0, m = 0;
    for (int i = 0; i < 4; ++i) {
        if (ym[i] < '0' || ym[i] > '9') return -1;
        y = y * 10 + (ym[i] - '0');
    }
    for (int i = 5; i < 7; ++i) {
        if (ym[i] < '0' || ym[i] > '9') return -1;
        m = m * 10 + (ym[i] - '0');
    }
    if (m < 1 || m > 12) return -1;
    return y * 12 + (m - 1);
}
}  // namespace

FeeStatement fee_statement(const std::vector<FeeItem>& items, std::string_view current_month) {
    FeeStatement st;
    std::map<std::string, FeeMonth, std::greater<>> by_month;
    int now = month_index(current_month);
    int oldest_unpaid_past = -1;
    for (const FeeItem& it : items) {
        FeeMonth& m = by_month[it.month];
        m.month = it.month;
        m.items.push_back(it);
        if (!it.paid) {
            m.owed_cents += it.amount_cents;
            st.total_owed_cents += it.amount_cents;
            int idx = month_index(it.month);
            if (idx >= 0 && now >= 0 && idx < now && (oldest_unpaid_past < 0 || idx < oldest_unpaid_past))
                oldest_unpaid_past = idx;
        }
    }
    for (auto& [k, m] : by_month) st.months.push_back(std::move(m));
    st.months_in_arrears = oldest_unpaid_past < 0 ? 0 : now - oldest_unpaid_past;
    st.stage = arrears_stage(st.months_in_arrears);
    return st;
}

std::string format_yuan(int64_t cents, bool thousands) {
    bool neg = cents < 0;
    uint64_t c = neg ? static_cast<uint64_t>(-cents) : static_cast<uint64_t>(cents);
    std::string digits = std::to_string(c / 100), whole;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (thousands && i > 0 && (digits.size() - i) % 3 == 0) whole += ',';
        whole += digits[i];
    }
    char frac[4];
    std::snprintf(frac, sizeof frac, "%02u", static_cast<unsigned>(c % 100));
    return std::string(neg ? "-" : "") + whole + "." + frac;
}

}  // namespace kiosk
