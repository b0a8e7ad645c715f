// The petitioner's identity key (信访人身份标识): who petitions, kept
// pseudonymous, so that routing can find repeat petitions (重复信访) and
// terminated matters (信访终结) of "the same petitioner" without personal
// data ever leaving intake (DESIGN.md "intake").
//
// "The same petitioner" is, in this order:
//   1. the same GB 11643 citizen ID number, if one is given (the check
//      character compared as an uppercase X);
//   2. otherwise the same name (surrounding and inner whitespace removed,
//      also the ideographic space U+3000 and U+00A0) AND the same mainland
//      mobile number (petition::NormalizeMobile: prefixes, spaces and
//      hyphens dropped);
//   3. otherwise nobody: the key is empty and the petition is never taken
//      for a repeat (a name alone, or a landline, identifies no one).
// The key is the lowercase hex HMAC-SHA256, under the identity secret of
// intake's personal-data key ring (pii_keys.h; its own key, not
// lookup.secret), of "id:<ID>" or "np:<name>|<mobile>".
//
// Pure functions; thread-safe.

#ifndef CASERELAY_SERVICES_INTAKE_IDENTITY_KEY_H_
#define CASERELAY_SERVICES_INTAKE_IDENTITY_KEY_H_

#include <string>
#include <string_view>

#include "caserelay/v1/case.pb.h"
#include "services/intake/lookup_code.h"

namespace caserelay::intake {

// `name` without any whitespace: ASCII whitespace, U+00A0 (no-break
// space) and U+3000 (ideographic space, typed by Chinese input methods).
// How a name is compared, here and in the petitioner index.
std::string CompactName(std::string_view name);

// The text whose MAC is the key: "id:<ID>", "np:<name>|<mobile>", or ""
// when the petitioner cannot be identified (rule 3 above). REQUIRES:
// `petitioner` passed ValidateSubmission (so an ID, if any, is 18
// characters).
std::string IdentityInput(const caserelay::v1::Petitioner& petitioner);

// The identity key of `petitioner`: codes.HexMac(IdentityInput(...)), or
// "" when IdentityInput is empty; `codes` holds the identity secret. The
// same petitioner gets the same key as long as that secret is kept.
std::string IdentityKey(const LookupCodes& codes,
                        const caserelay::v1::Petitioner& petitioner);

}  // namespace caserelay::intake

#endif  // CASERELAY_SERVICES_INTAKE_IDENTITY_KEY_H_
