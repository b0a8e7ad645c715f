// The life-cycle command of an ActRequest (act_command.h).
#include "services/routing/act_command.h"

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"

namespace caserelay::routing {

using caserelay::v1::ActRequest;

absl::StatusOr<lifecycle::Command> CommandOf(const ActRequest& req,
                                             const rpc::Principal& caller,
                                             const std::string& office,
                                             absl::Time now) {
  lifecycle::Command cmd;
  cmd.actor_office_code = office;
  // Who acted comes from authentication, never from the request (issue 14
  // item 2); a client that still names someone else is told so rather
  // than having its case recorded under another name.
  cmd.operator_name = caller.Operator();
  if (!req.operator_().empty() && req.operator_() != cmd.operator_name) {
    return absl::InvalidArgumentError(absl::StrCat(
        "operator: deprecated; the person acting is taken from the call's "
        "credentials (",
        cmd.operator_name, "); leave operator empty"));
  }
  cmd.reason = req.reason();
  cmd.now = now;
  switch (req.action_case()) {
    case ActRequest::kTransfer:
      cmd.action = caserelay::v1::CASE_ACTION_TRANSFER;
      cmd.target_office_code = req.transfer().office_code();
      break;
    case ActRequest::kAssign:
      cmd.action = caserelay::v1::CASE_ACTION_ASSIGN;
      cmd.target_office_code = req.assign().office_code();
      break;
    case ActRequest::kObject:
      cmd.action = caserelay::v1::CASE_ACTION_OBJECT;
      break;
    case ActRequest::kAccept:
      cmd.action = caserelay::v1::CASE_ACTION_ACCEPT;
      cmd.simplified = req.accept().simplified();
      break;
    case ActRequest::kDecline:
      cmd.action = caserelay::v1::CASE_ACTION_DECLINE;
      cmd.route = req.decline().route();
      cmd.refusal_ground = req.decline().ground();
      break;
    case ActRequest::kExtend:
      cmd.action = caserelay::v1::CASE_ACTION_EXTEND;
      cmd.days = req.extend().days();
      break;
    case ActRequest::kReply:
      cmd.action = caserelay::v1::CASE_ACTION_REPLY;
      cmd.outcome = req.reply().outcome();
      break;
    case ActRequest::kReportResult:
      cmd.action = caserelay::v1::CASE_ACTION_REPORT_RESULT;
      break;
    case ActRequest::kEvaluate:
      cmd.action = caserelay::v1::CASE_ACTION_EVALUATE;
      cmd.satisfaction = req.evaluate().satisfaction();
      break;
    case ActRequest::kRequestReview:
      cmd.action = caserelay::v1::CASE_ACTION_REQUEST_REVIEW;
      cmd.target_office_code = req.request_review().office_code();
      break;
    case ActRequest::kDecideReview:
      cmd.action = caserelay::v1::CASE_ACTION_DECIDE_REVIEW;
      cmd.outcome = req.decide_review().outcome();
      break;
    case ActRequest::kRequestRereview:
      cmd.action = caserelay::v1::CASE_ACTION_REQUEST_REREVIEW;
      cmd.target_office_code = req.request_rereview().office_code();
      break;
    case ActRequest::kStartHearing:
      cmd.action = caserelay::v1::CASE_ACTION_START_HEARING;
      break;
    case ActRequest::kEndHearing:
      cmd.action = caserelay::v1::CASE_ACTION_END_HEARING;
      break;
    case ActRequest::kDecideRereview:
      cmd.action = caserelay::v1::CASE_ACTION_DECIDE_REREVIEW;
      cmd.outcome = req.decide_rereview().outcome();
      break;
    case ActRequest::kClose:
      cmd.action = caserelay::v1::CASE_ACTION_CLOSE;
      break;
    case ActRequest::kServe:
      cmd.action = caserelay::v1::CASE_ACTION_SERVE;
      cmd.service_method = req.serve().method();
      if (req.serve().has_received_at()) {
        cmd.received_at = time::FromProto(req.serve().received_at());
      }
      break;
    case ActRequest::kReplySupervision:
      cmd.action = caserelay::v1::CASE_ACTION_REPLY_SUPERVISION;
      cmd.supervision_id = req.reply_supervision().supervision_id();
      break;
    case ActRequest::kApprove:
    case ActRequest::kReturnProposal:
      // The head's answer to a proposal is no life-cycle command of its
      // own: Act applies the proposal (approvals.h).
      return absl::InvalidArgumentError(
          "action: approve and return_proposal answer the pending proposal");
    case ActRequest::kEscalate:
    case ActRequest::kCorrect:
    case ActRequest::kRecordFollowUp:
    case ActRequest::kTakeCharge:
    case ActRequest::kRecommend:
      // Issue 18's actions (proto bb99d8d): their commands come with the
      // leaders' branch; until then routing refuses them.
      return absl::UnimplementedError(
          "action: 提级, 更正, 回访, 领导包案 and 领导批示 are not handled yet");
    case ActRequest::ACTION_NOT_SET:
      return absl::InvalidArgumentError("action: none given");
  }
  return cmd;
}

grpc::Status NoCase(const std::string& id) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      absl::StrCat("case_id: no case ", id.substr(0, 64)));
}

}  // namespace caserelay::routing
