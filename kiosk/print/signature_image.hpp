#pragma once
// A signature's strokes drawn as a picture: black ink on white, kept with the hand-over as PNG.
#include "kiosk/core/signature.hpp"
#include "kiosk/print/slip.hpp"

namespace kiosk::print {

// The strokes scaled to `width` x `height` dots, each drawn with a round pen `pen` dots across.
Bitmap signature_bitmap(const Signature& s, int width, int height, int pen = 4);

}  // namespace kiosk::print
