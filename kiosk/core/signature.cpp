#include "kiosk/core/signature.hpp"

#include <algorithm>
#include <cstdlib>

namespace kiosk {

namespace {
Signature::Point clamp(Signature::Point p) {
    return {std::clamp(p.x, 0, kSignatureSpan), std::clamp(p.y, 0, kSignatureSpan)};
}
}  // namespace

size_t Signature::points() const {
    size_t n = 0;
    for (auto& s : strokes) n += s.size();
    return n;
}

void Signature::begin(Point p) {
    if (points() >= kSignatureMaxPoints) return;
    strokes.push_back({clamp(p)});
}

void Signature::extend(Point p) {
    if (strokes.empty() || points() >= kSignatureMaxPoints) return;
    p = clamp(p);
    const Point& last = strokes.back().back();
    if (std::abs(p.x - last.x) + std::abs(p.y - last.y) < 4) return;
    strokes.back().push_back(p);
}

bool Signature::usable() const {
    // At least 60 units of pen travel (6 % of the pad): more than a slip of the finger.
    int travel = 0;
    for (auto& s : strokes)
        for (size_t i = 1; i < s.size(); ++i) travel += std::abs(s[i].x - s[i - 1].x) + std::abs(s[i].y - s[i - 1].y);
    return travel >= 60;
}

nlohmann::json signature_json(const Signature& s) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& stroke : s.strokes) {
        nlohmann::json pts = nlohmann::json::array();
        for (auto& p : stroke) pts.push_back({p.x, p.y});
        out.push_back(std::move(pts));
    }
    return out;
}

bool signature_from_json(const nlohmann::json& j, Signature& out) {
    out = Signature{};
    if (!j.is_array()) return false;
    for (auto& stroke : j) {
        if (!stroke.is_array() || stroke.empty()) return false;
        std::vector<Signature::Point> pts;
        for (auto& p : stroke) {
            if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() || !p[1].is_number_integer()) return false;
            int x = p[0].get<int>(), y = p[1].get<int>();
            if (x < 0 || y < 0 || x > kSignatureSpan || y > kSignatureSpan) return false;
            pts.push_back({x, y});
        }
        out.strokes.push_back(std::move(pts));
    }
    return out.points() <= kSignatureMaxPoints;
}

}  // namespace kiosk
