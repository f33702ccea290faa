/* fuzz_version_maven: total-order check of the maven comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_MAVEN
#include "fuzz_order.h"
