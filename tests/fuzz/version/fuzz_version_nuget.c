/* fuzz_version_nuget: total-order check of the NuGet comparator (fuzz_order.h). */
#define FUZZ_ECO HULL_ECO_NUGET
#include "fuzz_order.h"
