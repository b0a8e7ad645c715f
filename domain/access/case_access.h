// Who may read a case (DESIGN.md "Security"; Regulation Art. 30): the one
// authorisation rule of routing, supervision and notification (issue 14).
//
// A case is read by
//   - its acting offices (the holder; supervision adds the offices its
//     running deadlines bind, the office that must act) and the petition
//     bureaus and people's governments whose region contains one of them
//     (OfficeDirectory::Supervises: "a superior bureau reads its subtree");
//   - its past holders;
//   - the other parties a caller names (routing: Lifecycle::IsPartyOf, e.g.
//     a review organ before it takes the request, Arts. 35-36);
// and never by an accused unit of an accusation, nor by a member of one
// (an accused government `R:gov` has every office of region R as members:
// OfficeDirectory::IsAccusedOrMember), whatever else it is (Art. 30:
// 不得将检举、揭发、控告材料转给被检举、揭发、控告的人员和单位).
//
// When the accused offices are unknown (a store kept before they were:
// CaseParties.accused is nullopt) an accused unit cannot be told apart, so
// the decision is conservative: only the acting offices, past holders and
// named parties read — offices routing gave the case to, which it never
// gives to an accused unit (competence.cc, actions.cc) — and no superior.
//
// Scoped queries (an inbox, red lights, indicators) name an office or a
// region: a caller may ask for its own office, and a bureau or government
// for any office or region within its own region (departments supervise
// nothing). Rows of such a list are then each checked by MayListRow, which
// leaves out the cases the caller is accused in.
//
// Messages are for operators (English) and name the calling office and the
// case, never an accused office (the caller learns only that it is
// refused).
//
// Pure: no I/O. Thread safety: immutable after construction; any number of
// threads may call the const methods concurrently.
#ifndef CASERELAY_DOMAIN_ACCESS_CASE_ACCESS_H_
#define CASERELAY_DOMAIN_ACCESS_CASE_ACCESS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "domain/offices/office_directory.h"

namespace caserelay::access {

// The rules, cited by the messages and the tests.
inline constexpr char kRuleAccused[] = "Art. 30";

// What the rules need of one case. Office codes only.
struct CaseParties {
  std::string case_id;
  // The holder first; supervision adds its running deadlines' offices.
  // Each, and every bureau or government supervising one, reads the case.
  std::vector<std::string> acting_offices;
  // Every earlier holder; each reads the case (not its superiors).
  std::vector<std::string> past_holders;
  // Other offices the caller's rules name as parties (routing's life
  // cycle); each reads the case (not its superiors).
  std::vector<std::string> parties;
  // The accused units of an accusation (empty for other matters);
  // nullopt if unknown (see the file comment).
  std::optional<std::vector<std::string>> accused;
};

class CaseAccess {
 public:
  // `offices` is not owned and must outlive this. REQUIRES: non-null.
  explicit CaseAccess(const offices::OfficeDirectory* offices)
      : offices_(offices) {}

  // OK unless `office` is one of `accused` or a member of one: then
  // PERMISSION_DENIED "Art. 30: <office> may not see case <case_id>".
  absl::Status NotAccused(std::string_view office,
                          const std::vector<std::string>& accused,
                          std::string_view case_id) const;

  // OK if `office` may read the case (the file comment's rules).
  // PERMISSION_DENIED otherwise: the Art. 30 message above for an accused
  // unit; "<office> neither holds case <id> nor supervises its holder" for
  // an office outside the case; with the accused unknown, one saying only
  // the case's holders may read it.
  absl::Status MayRead(std::string_view office,
                       const CaseParties& parties) const;

  // OK if `office` may see the petitioner's personal data of the case
  // (name, phone, address; 信访人个人信息) and so find the case by them
  // (issue 16, the console's petitioner search): never an accused unit or
  // a member of one (Art. 30); otherwise an acting office or a named party
  // itself, or a bureau or government supervising an acting office — the
  // offices that handle the case now or answer for its handling. A past
  // holder, which read the case but handles it no more, does not
  // (个人信息保护法 Art. 6: personal data only where the purpose needs
  // it). With the accused unknown: only an acting office or a party
  // itself. PERMISSION_DENIED otherwise: the Art. 30 message for an
  // accused unit, else "<office> may not see the petitioner of case <id>".
  absl::Status MaySeePetitioner(std::string_view office,
                                const CaseParties& parties) const;

  // Whether a row of this case may appear in a list `office` asked for
  // within a scope it may ask for (MayAskOffice/MayAskRegion): true unless
  // `office` is accused or a member of an accused unit; with the accused
  // unknown, only for an acting office, past holder or party itself.
  bool MayListRow(std::string_view office, const CaseParties& parties) const;

  // OK if `office` may ask for the cases of office `scope_office`: its own,
  // or one it supervises (OfficeDirectory::Supervises). PERMISSION_DENIED
  // "<office> does not supervise <scope_office>" otherwise (also for codes
  // the directory does not know).
  absl::Status MayAskOffice(std::string_view office,
                            std::string_view scope_office) const;

  // OK if `office` may ask for the cases of the offices within region
  // `region_code`: `office` is a bureau or government whose region
  // contains it (its own included). PERMISSION_DENIED "<office> does not
  // supervise region <region_code>" otherwise (a department, a region
  // outside, or one the tree does not know).
  absl::Status MayAskRegion(std::string_view office,
                            std::string_view region_code) const;

 private:
  // True if `office` is listed in `codes`.
  static bool Listed(std::string_view office,
                     const std::vector<std::string>& codes);
  // True if `office` is an acting office, past holder or party itself.
  static bool NamedIn(std::string_view office, const CaseParties& parties);

  const offices::OfficeDirectory* const offices_;  // not owned
};

}  // namespace caserelay::access

#endif  // CASERELAY_DOMAIN_ACCESS_CASE_ACCESS_H_
