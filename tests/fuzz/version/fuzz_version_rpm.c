/* fuzz_version_rpm: total-order check of the rpm comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_RPM
#include "fuzz_order.h"
