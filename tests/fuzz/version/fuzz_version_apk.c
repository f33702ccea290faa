/* fuzz_version_apk: total-order check of the apk comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_APK
#include "fuzz_order.h"
