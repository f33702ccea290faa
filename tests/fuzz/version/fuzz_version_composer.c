/* fuzz_version_composer: total-order check of the Packagist comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_COMPOSER
#include "fuzz_order.h"
