#include "kiosk/print/signature_image.hpp"

#include <algorithm>
#include <cmath>

namespace kiosk::print {

namespace {
void dot(Bitmap& b, double cx, double cy, double r) {
    int x0 = std::max(0, static_cast<int>(std::floor(cx - r))), x1 = std::min(b.width - 1, static_cast<int>(std::ceil(cx + r)));
    int y0 = std::max(0, static_cast<int>(std::floor(cy - r))), y1 = std::min(b.height - 1, static_cast<int>(std::ceil(cy + r)));
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) b.ink[static_cast<size_t>(y) * b.width + x] = 1;
}
}  // namespace

Bitmap signature_bitmap(const Signature& s, int width, int height, int pen) {
    Bitmap b;
    b.width = width;
    b.height = height;
    b.ink.assign(static_cast<size_t>(width) * height, 0);
    double r = std::max(0.5, pen / 2.0);
    auto sx = [&](int x) { return x * (width - 1) / static_cast<double>(kSignatureSpan); };
    auto sy = [&](int y) { return y * (height - 1) / static_cast<double>(kSignatureSpan); };
    for (auto& stroke : s.strokes) {
        dot(b, sx(stroke.front().x), sy(stroke.front().y), r);
        for (size_t i = 1; i < stroke.size(); ++i) {
            double ax = sx(stroke[i - 1].x), ay = sy(stroke[i - 1].y), bx = sx(stroke[i].x), by = sy(stroke[i].y);
            int steps = std::max(1, static_cast<int>(std::ceil(std::hypot(bx - ax, by - ay) / (r / 2))));
            for (int k = 1; k <= steps; ++k) dot(b, ax + (bx - ax) * k / steps, ay + (by - ay) * k / steps, r);
        }
    }
    return b;
}

}  // namespace kiosk::print
