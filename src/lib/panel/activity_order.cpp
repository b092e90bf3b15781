// SPDX-License-Identifier: MIT
// activity_order (panel): the one ranking of Activity values from favourable to unfavourable,
// next to the enum, so that clones (least favourable member) and regimens (most favourable drug)
// combine calls by the same order.
#include "kitrx/panel/panel.hpp"

namespace kitrx {

namespace {

int favourability(Activity a) {
    switch (a) {
        case Activity::kSensitive:
            return 3;
        case Activity::kIntermediate:
            return 2;
        case Activity::kUnknown:
            return 1;
        case Activity::kResistant:
            return 0;
    }
    return 1;
}

}  // namespace

Activity least_favourable(Activity a, Activity b) {
    return favourability(a) <= favourability(b) ? a : b;
}

Activity most_favourable(Activity a, Activity b) {
    return favourability(a) >= favourability(b) ? a : b;
}

}  // namespace kitrx
