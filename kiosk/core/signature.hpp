#pragma once
// A signature drawn on the screen at a hand-over: the strokes as the finger drew them, in pad
// coordinates 0–1000 on both axes, so they mean the same on any screen size.
#include <vector>

#include <nlohmann/json.hpp>

namespace kiosk {

struct Signature {
    struct Point {
        int x = 0, y = 0;
        bool operator==(const Point&) const = default;
    };
    std::vector<std::vector<Point>> strokes;

    // Pen down at a point, then moves; points closer than a few units to the last are dropped.
    void begin(Point p);
    void extend(Point p);
    bool empty() const { return strokes.empty(); }
    // Enough ink to count as a signature: a dot or a stray tap is not one.
    bool usable() const;
    size_t points() const;
};

inline constexpr int kSignatureSpan = 1000;
inline constexpr size_t kSignatureMaxPoints = 4000;  // a long signature is a few hundred

// [[[x,y],[x,y],...], ...]
nlohmann::json signature_json(const Signature& s);
bool signature_from_json(const nlohmann::json& j, Signature& out);

}  // namespace kiosk
