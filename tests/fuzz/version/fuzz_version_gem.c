/* fuzz_version_gem: total-order check of the RubyGems comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_GEM
#include "fuzz_order.h"
