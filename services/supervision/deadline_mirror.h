// The mirroring of a case's deadlines lives in domain/indicators (shared
// with the statistics' index, issue 17); supervision names it here.
#ifndef CASERELAY_SERVICES_SUPERVISION_DEADLINE_MIRROR_H_
#define CASERELAY_SERVICES_SUPERVISION_DEADLINE_MIRROR_H_

#include "domain/indicators/deadline_mirror.h"

namespace caserelay::supervision {
using indicators::CaseOfDeadline;
using indicators::CheckListed;
using indicators::DeadlineId;
using indicators::Mirror;
using indicators::Timer;
using indicators::TimerChanges;
}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_DEADLINE_MIRROR_H_
