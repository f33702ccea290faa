/* fuzz_version_go: total-order check of the go comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_GO
#include "fuzz_order.h"
